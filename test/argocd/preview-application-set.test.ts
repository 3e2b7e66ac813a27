import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdk8s";
import { parseAllDocuments, stringify } from "yaml";
import { ArgoCdChart } from "../../argocd/index";
import { ConfigError } from "../../lib/errors";
import type { KubeObject } from "../../lib/kube-object";
import { kubectl } from "../support/kubectl";
import { at, effectiveApplications, find, fixtureEnv, projectAllows, projectPermits, resourcesOf, SAMPLE_PULL_REQUEST, targetsOf } from "./support/argo";
import { PREVIEWS, relocatable } from "./support/previews";

function renderPreviews(resources: KubeObject[]): KubeObject[] {
  const dev = fixtureEnv("dev", { previews: PREVIEWS });
  const [web] = targetsOf([dev]);
  return new ArgoCdChart(Testing.app(), "argocd", { environments: [dev], targets: [{ ...web, resources: resourcesOf(resources) }] }).toJson() as KubeObject[];
}

describe("pull-request previews", () => {
  const objects = renderPreviews(relocatable);
  const set = find(objects, "ApplicationSet", "preview-web-dev");
  const [preview] = effectiveApplications([set]);

  test("one Application per labelled pull request, at its head commit, in its own namespace and at its own host", () => {
    expect(at(set, "spec", "generators")).toEqual([
      { pullRequest: { github: { owner: "acme", repo: "slipway", labels: ["preview"] }, requeueAfterSeconds: 300 } },
    ]);
    expect(preview.name).toBe("web-pr-42");
    expect(preview.destination).toEqual({ server: "https://kubernetes.default.svc", namespace: "web-pr-42" });
    expect(at(preview.application, "spec", "source")).toMatchObject({
      repoURL: "https://github.com/acme/slipway.git",
      targetRevision: SAMPLE_PULL_REQUEST.head_sha,
      path: "dist/dev/web",
      kustomize: { namespace: "web-pr-42" },
    });
    expect(at(preview.application, "metadata", "annotations", "link.argocd.argoproj.io/public-url")).toBe("web (dev-pr-42)|https://web-42.preview.example.com");
  });

  test("a closed pull request takes its preview and everything it deployed along", () => {
    expect(at(set, "spec", "syncPolicy")).toEqual({ preserveResourcesOnDeletion: false });
    expect(at(preview.application, "metadata", "finalizers")).toEqual(["resources-finalizer.argocd.argoproj.io"]);
    expect(at(preview.application, "spec", "syncPolicy", "syncOptions")).not.toContain("Delete=confirm");
    expect(at(preview.application, "spec", "syncPolicy", "automated")).toEqual({ prune: true, selfHeal: true, allowEmpty: false });
  });

  test("the previews' project allows only <stack>-pr-* namespaces on the environment's cluster, and their Namespaces by that name", () => {
    const project = find(objects, "AppProject", "previews-dev");
    expect(at(preview.application, "spec", "project")).toBe("previews-dev");
    expect(projectPermits(project, preview.destination)).toBe(true);
    expect(projectPermits(project, { server: "https://kubernetes.default.svc", namespace: "web-dev" })).toBe(false);
    expect(projectAllows(project, { apiVersion: "v1", kind: "Namespace", metadata: { name: "web-pr-42" } }, true)).toBe(true);
    expect(projectAllows(project, { apiVersion: "v1", kind: "Namespace", metadata: { name: "web-dev" } }, true)).toBe(false);
  });

  test("kustomize, as Argo CD runs it, moves every object to the preview's namespace and host and lifts the data protection", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-preview-"));
    try {
      writeFileSync(join(dir, "stack.yaml"), relocatable.map((o) => stringify(o)).join("---\n"));
      // Argo CD runs `kustomize edit set namespace` and appends the patches to kustomization.yaml
      // (argo-cd util/kustomize/kustomize.go), which is what this file holds.
      const kustomize = at(preview.application, "spec", "source", "kustomize") as { namespace: string; patches: unknown[] };
      writeFileSync(join(dir, "kustomization.yaml"), stringify({ resources: ["stack.yaml"], namespace: kustomize.namespace, patches: kustomize.patches }));
      const out = parseAllDocuments(execFileSync(kubectl(), ["kustomize", dir], { encoding: "utf8" })).map((d) => d.toJS() as KubeObject);
      expect(out.map((o) => [o.kind, o.metadata.name, o.metadata.namespace])).toEqual([
        ["Namespace", "web-pr-42", undefined],
        ["ConfigMap", "proxy", "web-pr-42"],
        ["StatefulSet", "database", "web-pr-42"],
        ["Ingress", "proxy", "web-pr-42"],
      ]);
      expect(out.map((o) => o.metadata.annotations?.["argocd.argoproj.io/sync-options"])).toEqual([undefined, undefined, undefined, undefined]);
      expect(at(find(out, "StatefulSet", "database"), "spec", "persistentVolumeClaimRetentionPolicy")).toEqual({ whenDeleted: "Delete", whenScaled: "Delete" });
      expect(at(find(out, "Ingress", "proxy"), "spec")).toMatchObject({
        rules: [{ host: "web-42.preview.example.com" }],
        tls: [{ hosts: ["web-42.preview.example.com"], secretName: "proxy-tls" }],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a stack that names its namespace in its objects cannot be previewed: the preview would reach dev's", () => {
    const dev = fixtureEnv("dev", { previews: PREVIEWS });
    try {
      new ArgoCdChart(Testing.app(), "argocd", { environments: [dev], targets: targetsOf([dev]) });
      throw new Error("expected a ConfigError");
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      expect(e.problems).toContainEqual(expect.stringMatching(
        /^test\/argocd\/fixtures\/environments\/dev\.yaml: argocd\.previews: stack 'web': ConfigMap 'proxy' names namespace 'web-dev' at data\.nginx\.conf; a preview in its own namespace would still reach dev's objects\. Refer to Services by their short name to preview this stack$/,
      ));
    }
  });

  test("a stack rendering a cluster-scoped object other than its Namespace cannot be previewed", () => {
    const role = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "reader" } };
    expect(() => renderPreviews([...relocatable, role])).toThrow(
      "test/argocd/fixtures/environments/dev.yaml: argocd.previews: stack 'web': renders cluster-scoped ClusterRole 'reader', which every preview would share; previews need a stack without one",
    );
  });
});
