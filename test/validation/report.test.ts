/** The report: findings grouped environment → stack → rule, allowed exceptions, one summary line. */
import { formatFindings, formatReport, type ValidationReport } from "../../validation";
import { check, checkObjects } from "./support";

const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "shop" }, data });

describe("formatReport", () => {
  test("groups by environment, then stack, then rule, and ends with the summary", async () => {
    const report = await check([
      { path: "prod/web/api.yaml", objects: [configMap("api", { DB_PASSWORD: "x" }), { ...configMap("bad", {}), dataa: {} }] },
      { path: "dev/web/api.yaml", objects: [configMap("api", { API_TOKEN: "x" })] },
      { path: "argocd/applications.yaml", objects: [{ apiVersion: "argoproj.io/v1alpha1", kind: "Widget", metadata: { name: "w" } }] },
    ]);
    expect(formatReport(report, { root: "dist" })).toBe(
      [
        "argocd",
        "  (top level)",
        "    schema (error)",
        "      dist/argocd/applications.yaml: Widget/w: apiVersion: no schema for argoproj.io/v1alpha1/Widget",
        "dev",
        "  web",
        "    no-plaintext-credentials (error)",
        "      dist/dev/web/api.yaml: ConfigMap/api: data.API_TOKEN: expected no credential in a ConfigMap, got key 'API_TOKEN'; keep it in a Secret produced by an ExternalSecret",
        "prod",
        "  web",
        "    no-plaintext-credentials (error)",
        "      dist/prod/web/api.yaml: ConfigMap/api: data.DB_PASSWORD: expected no credential in a ConfigMap, got key 'DB_PASSWORD'; keep it in a Secret produced by an ExternalSecret",
        "    schema (error)",
        "      dist/prod/web/api.yaml: ConfigMap/bad: dataa: unknown field",
        "",
        "validation failed: 4 errors, 0 warnings, 0 allowed exceptions in 4 objects (3 files)",
      ].join("\n"),
    );
  });

  test("a clean run is just the summary line", async () => {
    const report = await checkObjects([configMap("api", { LOG_LEVEL: "info" })]);
    expect(formatReport(report)).toBe("validation passed: 0 errors, 0 warnings, 0 allowed exceptions in 1 object (1 file)");
  });

  test("warnings alone pass", () => {
    const report: ValidationReport = {
      findings: [{ path: "x.yaml", kind: "HorizontalPodAutoscaler", name: "api", field: "spec.maxReplicas", rule: "hpa-bounds", severity: "warning", message: "m" }],
      allowed: [],
      counts: { files: 1, objects: 1, errors: 0, warnings: 1, allowed: 0 },
    };
    expect(formatReport(report)).toBe(
      [".", "  (top level)", "    hpa-bounds (warning)", "      x.yaml: HorizontalPodAutoscaler/api: spec.maxReplicas: m", "", "validation passed: 0 errors, 1 warning, 0 allowed exceptions in 1 object (1 file)"].join("\n"),
    );
  });

  test("kustomization.yaml files are not Kubernetes objects and are not judged", async () => {
    const report = await check([
      { path: "prod/web/kustomization.yaml", objects: [{ apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources: ["api.yaml"] } as never] },
      { path: "prod/web/api.yaml", objects: [configMap("api", {})] },
    ]);
    expect(report.findings).toEqual([]);
    expect(report.counts).toEqual({ files: 1, objects: 1, errors: 0, warnings: 0, allowed: 0 });
  });

  test("what synth prints after a render that passed: every accepted warning and waiver with its object and reason, no summary", () => {
    const report: ValidationReport = {
      findings: [{ path: "prod/web/api.yaml", kind: "HorizontalPodAutoscaler", name: "api", field: "spec.maxReplicas", rule: "hpa-bounds", severity: "warning", message: "m" }],
      allowed: [
        {
          path: "prod/web/proxy.yaml",
          kind: "Service",
          name: "proxy",
          field: "spec.type",
          rule: "no-external-services",
          severity: "error",
          message: "expected ClusterIP",
          reason: "the office VPN reaches it through a NodePort until SHOP-7",
        },
      ],
      counts: { files: 2, objects: 2, errors: 0, warnings: 1, allowed: 1 },
    };
    expect(formatFindings(report, { root: "dist" })).toEqual([
      "prod",
      "  web",
      "    hpa-bounds (warning)",
      "      dist/prod/web/api.yaml: HorizontalPodAutoscaler/api: spec.maxReplicas: m",
      "",
      "Allowed by slipway.dev/allow (1)",
      "  [no-external-services] dist/prod/web/proxy.yaml: Service/proxy: spec.type: expected ClusterIP",
      "    reason: the office VPN reaches it through a NodePort until SHOP-7",
    ]);
    expect(formatFindings({ ...report, findings: [], allowed: [] })).toEqual([]);
  });
});
