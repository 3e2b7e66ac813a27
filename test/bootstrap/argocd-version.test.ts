/**
 * The Argo CD the bootstrap installs can take what dist/argocd/ contains: its version, read from
 * bootstrap/charts/argocd/values.yaml and bootstrap/crds/argocd/kustomization.yaml, is at least the minimum the
 * generator writes for (MIN_ARGOCD_VERSION), and the image and its CRDs are one version.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIN_ARGOCD_VERSION } from "../../argocd/index";
import { ARGOCD_CRDS_PATH, downloadCrd, readArgoCdInstall } from "../../bootstrap/argocd-install";
import { readPlatformChart, type PlatformChart } from "../../bootstrap/charts";
import { problemsOf } from "../support/problems";
import { REPO_ROOT } from "./support";

/** `v3.5.1` or `3.5.1` as numbers; anything else fails the test that reads it. */
function release(version: string): [number, number, number] {
  const match = /^v?([0-9]+)\.([0-9]+)\.([0-9]+)$/.exec(version);
  if (!match) throw new Error(`not a release version: ${version}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}
const atLeast = (version: string, minimum: string) => {
  const [a, b] = [release(version), release(minimum)];
  const i = a.findIndex((n, k) => n !== b[k]);
  return i === -1 || a[i] > b[i];
};

const argocdChart = () => readPlatformChart(REPO_ROOT, "argocd");

describe("the Argo CD the bootstrap installs", () => {
  test(`is Argo CD ${MIN_ARGOCD_VERSION} or newer, the version dist/argocd/ is written for`, () => {
    const { version } = readArgoCdInstall(REPO_ROOT, argocdChart());
    expect(atLeast(version, MIN_ARGOCD_VERSION)).toBe(true);
  });

  test("runs the image and the CRDs of one version, from argoproj/argo-cd", () => {
    const install = readArgoCdInstall(REPO_ROOT, argocdChart());
    expect(install.version).toBe((argocdChart().values as { global: { image: { tag: string } } }).global.image.tag);
    expect(install.crdsPath).toBe("bootstrap/crds/argocd");
    expect(install.crds.map((c) => c.name)).toEqual(["application-crd", "applicationset-crd", "appproject-crd"]);
    for (const crd of install.crds) {
      expect(crd.url).toBe(`https://raw.githubusercontent.com/argoproj/argo-cd/${install.version}/manifests/crds/${crd.name}.yaml`);
    }
  });

  test("the comparison is by number, not by text", () => {
    expect([atLeast("v3.10.0", "3.5.0"), atLeast("v3.5.0", "3.5.0"), atLeast("v3.4.99", "3.5.0"), atLeast("v2.14.0", "3.5.0")]).toEqual([true, true, false, false]);
  });
});

describe("a mismatched Argo CD install is refused with the file and field", () => {
  const KUSTOMIZATION = `${ARGOCD_CRDS_PATH}/kustomization.yaml`;
  const url = (tag: string, file = "application-crd") => `https://raw.githubusercontent.com/argoproj/argo-cd/${tag}/manifests/crds/${file}.yaml`;

  function problems(values: Record<string, unknown>, kustomization: string): readonly string[] {
    const root = mkdtempSync(join(tmpdir(), "slipway-argocd-install-"));
    mkdirSync(join(root, ARGOCD_CRDS_PATH), { recursive: true });
    writeFileSync(join(root, KUSTOMIZATION), kustomization);
    const chart: PlatformChart = { ...argocdChart(), values };
    return problemsOf(() => readArgoCdInstall(root, chart));
  }
  const kustomization = (...resources: string[]) =>
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}\n`).join("")}`;
  const values = (tag: unknown, install: unknown = false) => ({ global: { image: { tag } }, crds: { install } });

  test("CRDs of another version than the image", () => {
    expect(problems(values("v3.5.1"), kustomization(url("v3.5.1"), url("v3.4.4", "appproject-crd")))).toEqual([
      `${KUSTOMIZATION}: resources[1]: expected the CRDs of the Argo CD version bootstrap/charts/argocd/values.yaml runs (v3.5.1), got tag v3.4.4; change both in one pull request`,
    ]);
  });

  test("no image tag (the chart's default is not in Git), and the chart's own CRDs left on", () => {
    expect(problems({ crds: { install: true } }, kustomization(url("v3.5.1")))).toEqual([
      `bootstrap/charts/argocd/values.yaml: argo-cd.global.image.tag: expected the exact Argo CD version to run, such as v3.5.1 (the chart's default, its appVersion, is not in Git), got undefined`,
      `bootstrap/charts/argocd/values.yaml: argo-cd.crds.install: expected false (Argo CD's CRDs come from ${KUSTOMIZATION}, at the image's tag), got true`,
      `${KUSTOMIZATION}: resources[0]: expected the CRDs of the Argo CD version bootstrap/charts/argocd/values.yaml runs (undefined), got tag v3.5.1; change both in one pull request`,
    ]);
    expect(problems(values("latest"), kustomization(url("v3.5.1")))[0]).toContain(`argo-cd.global.image.tag: expected the exact Argo CD version to run`);
  });

  test("a resource that is not an argo-cd CRD URL, a patch, or no resources", () => {
    expect(problems(values("v3.5.1"), `${kustomization(url("v3.5.1"), "https://github.com/argoproj/argo-cd/manifests/crds?ref=v3.5.1")}patches: []\n`)).toEqual([
      `${KUSTOMIZATION}: patches: not supported: the bootstrap installs the resources as they are, so Argo CD must render them unchanged`,
      `${KUSTOMIZATION}: resources[1]: expected https://raw.githubusercontent.com/argoproj/argo-cd/<tag>/manifests/crds/<file>.yaml, got "https://github.com/argoproj/argo-cd/manifests/crds?ref=v3.5.1"`,
    ]);
    expect(problems(values("v3.5.1"), "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n")).toEqual([
      `${KUSTOMIZATION}: resources: expected the URLs of Argo CD's CRDs, got undefined`,
    ]);
  });
});

describe("downloading a CRD at `pulumi up`", () => {
  const file = { name: "application-crd", url: "https://raw.githubusercontent.com/argoproj/argo-cd/v3.5.1/manifests/crds/application-crd.yaml" };
  const answer = (response: Response) => jest.spyOn(globalThis, "fetch").mockResolvedValue(response);
  afterEach(() => jest.restoreAllMocks());

  test("a URL that does not answer 200 fails, naming it and the kustomization", async () => {
    answer(new Response("404: Not Found", { status: 404, statusText: "Not Found" }));
    await expect(downloadCrd(file)).rejects.toThrow(`${file.url} (bootstrap/crds/argocd/kustomization.yaml): HTTP 404 Not Found`);
  });

  test("anything but a CustomResourceDefinition fails", async () => {
    answer(new Response("apiVersion: v1\nkind: ConfigMap\n"));
    await expect(downloadCrd(file)).rejects.toThrow(
      `${file.url} (bootstrap/crds/argocd/kustomization.yaml): expected one apiextensions.k8s.io/v1 CustomResourceDefinition, got v1 ConfigMap`,
    );
  });
});
