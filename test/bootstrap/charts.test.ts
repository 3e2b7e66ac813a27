/** The platform charts: bootstrap/charts/<name>/ pins the upstream chart, exactly, and keeps its CRDs. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PLATFORM_CHARTS, readPlatformChart } from "../../bootstrap/charts";
import { problemsOf } from "../support/problems";
const REPO_ROOT = join(__dirname, "../..");

function problems(chartYaml: string, valuesYaml: string): readonly string[] {
  const root = mkdtempSync(join(tmpdir(), "slipway-charts-"));
  mkdirSync(join(root, "bootstrap/charts/cert-manager"), { recursive: true });
  writeFileSync(join(root, "bootstrap/charts/cert-manager/Chart.yaml"), chartYaml);
  writeFileSync(join(root, "bootstrap/charts/cert-manager/values.yaml"), valuesYaml);
  return problemsOf(() => readPlatformChart(root, "cert-manager"));
}

describe("platform charts", () => {
  test.each(PLATFORM_CHARTS)("%s pins one upstream chart at an exact version from an https repository", (name) => {
    const chart = readPlatformChart(REPO_ROOT, name);
    expect(chart.path).toBe(`bootstrap/charts/${name}`);
    expect(chart.version).toMatch(/^v?[0-9]+\.[0-9]+\.[0-9]+$/);
    expect(chart.repository).toMatch(/^https:\/\//);
  });

  test("no chart deletes its CRDs (and every resource of their kinds) when it is removed; Argo CD's are not its chart's", () => {
    // bootstrap/crds/argocd/ installs them at the Argo CD version the chart runs (test/bootstrap/argocd-version.test.ts).
    expect(readPlatformChart(REPO_ROOT, "argocd").values.crds).toEqual({ install: false });
    expect(readPlatformChart(REPO_ROOT, "cert-manager").values.crds).toEqual({ enabled: true, keep: true });
    expect(readPlatformChart(REPO_ROOT, "external-secrets").values).toMatchObject({
      installCRDs: true,
      crds: { annotations: { "helm.sh/resource-policy": "keep" } },
    });
  });

  test("cert-manager's leader election stays in its own namespace: the bootstrap owns no other", () => {
    expect(readPlatformChart(REPO_ROOT, "cert-manager").values.global).toEqual({ leaderElection: { namespace: "cert-manager" } });
  });

  test("Argo CD tracks resources by annotation, leaving the workloads' app.kubernetes.io/instance label alone", () => {
    expect(readPlatformChart(REPO_ROOT, "argocd").values.configs).toEqual({ cm: { "application.resourceTrackingMethod": "annotation" } });
  });

  test("a version range, a second dependency or foreign values are refused with the file and field", () => {
    const chart = (version: string) =>
      `apiVersion: v2\nname: cert-manager\nversion: 1.0.0\ndependencies:\n  - name: cert-manager\n    version: "${version}"\n    repository: https://charts.jetstack.io\n`;
    expect(problems(chart("^1.21.0"), "cert-manager: {}\nother: {}\n")).toEqual([
      `bootstrap/charts/cert-manager/Chart.yaml: dependencies[0].version: expected an exact version such as 10.1.1 (no range), got "^1.21.0"`,
      "bootstrap/charts/cert-manager/values.yaml: expected only the key 'cert-manager' (the upstream chart's values), got cert-manager, other",
    ]);
    expect(problems(`${chart("v1.21.1")}  - name: extra\n    version: 1.0.0\n    repository: https://example.com\n`, "cert-manager: {}\n")).toEqual([
      "bootstrap/charts/cert-manager/Chart.yaml: dependencies: expected exactly one dependency, the upstream chart",
    ]);
  });
});
