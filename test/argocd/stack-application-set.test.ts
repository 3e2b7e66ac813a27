import { Chart, Testing } from "cdk8s";
import { StackApplicationSet, type ApplicationSetElement, type StackApplicationSetProps } from "../../argocd/index";
import type { KubeObject } from "../../lib/kube-object";
import { at, effectiveApplications } from "./support/argo";

const REPO = "https://github.com/acme/slipway.git";
const STAGING = "https://staging.example.com:6443";
const element = (stack: string, env = "staging", server = STAGING): ApplicationSetElement => ({
  env,
  stack,
  project: `${stack}-${env}`,
  cluster: { server },
  namespace: `${stack}-${env}`,
  path: `dist/${env}/${stack}`,
  targetRevision: "main",
  publicURL: `https://${stack}.${env}.example.com`,
});
const minimal: StackApplicationSetProps = { repoURL: REPO, elements: [element("web"), element("blog")] };

function synth(props: StackApplicationSetProps): KubeObject {
  const chart = new Chart(Testing.app(), "test");
  new StackApplicationSet(chart, "set", props);
  const [object] = chart.toJson() as KubeObject[];
  return object;
}

const build = (props: StackApplicationSetProps) => () => new StackApplicationSet(new Chart(Testing.app(), "test"), "set", props);

describe("StackApplicationSet", () => {
  test("generates one Application per element, named <stack>-<env>, in its own project and namespace", () => {
    const set = synth(minimal);
    expect(set.metadata).toEqual({
      name: "stacks-staging",
      namespace: "argocd",
      labels: { "app.kubernetes.io/managed-by": "slipway", "slipway.dev/env": "staging" },
      annotations: { "argocd.argoproj.io/sync-wave": "0", "argocd.argoproj.io/sync-options": "Prune=confirm,Delete=confirm" },
    });
    expect(
      effectiveApplications([set]).map((a) => [a.name, a.project, a.path, a.destination, at(a.application, "spec", "syncPolicy", "automated")]),
    ).toEqual([
      ["web-staging", "web-staging", "dist/staging/web", { server: STAGING, namespace: "web-staging" }, undefined],
      ["blog-staging", "blog-staging", "dist/staging/blog", { server: STAGING, namespace: "blog-staging" }, undefined],
    ]);
  });

  test("fans one template out over several clusters, each at its own revision", () => {
    const set = synth({
      name: "edge",
      repoURL: REPO,
      elements: [
        { ...element("web", "eu-1", "https://eu-1.example.com"), targetRevision: "v2" },
        { ...element("web", "us-1", "https://us-1.example.com"), targetRevision: "v1" },
      ],
    });
    expect(set.metadata.labels).toEqual({ "app.kubernetes.io/managed-by": "slipway" });
    expect(effectiveApplications([set]).map((a) => [a.name, a.destination, at(a.application, "spec", "source", "targetRevision")])).toEqual([
      ["web-eu-1", { server: "https://eu-1.example.com", namespace: "web-eu-1" }, "v2"],
      ["web-us-1", { server: "https://us-1.example.com", namespace: "web-us-1" }, "v1"],
    ]);
  });

  test("clusters registered by name are addressed by name", () => {
    const set = synth({ ...minimal, elements: minimal.elements.map((e) => ({ ...e, cluster: { name: "staging" } })) });
    expect(effectiveApplications([set]).map((a) => a.destination)).toEqual([
      { name: "staging", namespace: "web-staging" },
      { name: "staging", namespace: "blog-staging" },
    ]);
  });

  test("the finalizer choice reaches the generated Applications and the deletion policy", () => {
    const keep = synth(minimal);
    expect(at(keep, "spec", "template", "metadata", "finalizers")).toBeUndefined();
    expect(at(keep, "spec", "syncPolicy")).toEqual({ preserveResourcesOnDeletion: true });
    const cascade = synth({ ...minimal, finalizer: true });
    expect(at(cascade, "spec", "template", "metadata", "finalizers")).toEqual(["resources-finalizer.argocd.argoproj.io"]);
    expect(at(cascade, "spec", "syncPolicy")).toEqual({ preserveResourcesOnDeletion: false });
  });

  test("links each generated Application to its own public URL and folder, titled", () => {
    const set = synth({
      ...minimal,
      elements: minimal.elements.map((e) => ({ ...e, folderURL: `https://github.com/acme/slipway/tree/main/${e.path}` })),
    });
    expect(effectiveApplications([set]).map((a) => at(a.application, "metadata", "annotations"))).toEqual([
      {
        "argocd.argoproj.io/manifest-generate-paths": ".",
        "link.argocd.argoproj.io/public-url": "web (staging)|https://web.staging.example.com",
        "link.argocd.argoproj.io/repo-folder": "dist/staging/web in Git|https://github.com/acme/slipway/tree/main/dist/staging/web",
      },
      {
        "argocd.argoproj.io/manifest-generate-paths": ".",
        "link.argocd.argoproj.io/public-url": "blog (staging)|https://blog.staging.example.com",
        "link.argocd.argoproj.io/repo-folder": "dist/staging/blog in Git|https://github.com/acme/slipway/tree/main/dist/staging/blog",
      },
    ]);
  });

  test("refuses no elements, a stack twice, elements the shared template cannot serve, and a nameless fan-out", () => {
    expect(build({ ...minimal, elements: [] })).toThrow("StackApplicationSet 'stacks': 'elements' needs at least one entry, got none");
    expect(
      build({ ...minimal, elements: [element("web"), { ...element("web"), folderURL: "https://github.com/acme/slipway/tree/main/dist/staging/web" }] }),
    ).toThrow(
      [
        "StackApplicationSet 'stacks-staging': 'elements (Application names)' lists 'web-staging' more than once",
        "StackApplicationSet 'stacks-staging': 'elements' must all name their cluster the same way and all set (or all leave out) folderURL, publicURL and envFile: the template is shared",
      ].join("\n"),
    );
    expect(build({ ...minimal, elements: [element("web", "eu-1"), { ...element("web", "us-1"), cluster: { name: "us-1" }, path: "../x" }] })).toThrow(
      [
        "StackApplicationSet 'stacks': 'name' is required when the elements span several environments (eu-1, us-1)",
        "StackApplicationSet 'stacks': 'elements[1].path' must be a folder relative to the repository root such as dist/prod/web, got '../x'",
        "StackApplicationSet 'stacks': 'elements' must all name their cluster the same way and all set (or all leave out) folderURL, publicURL and envFile: the template is shared",
      ].join("\n"),
    );
  });
});
