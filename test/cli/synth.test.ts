/**
 * What `npm run synth` prints after a render that passed: every warning and every waiver the gate accepted,
 * with object, field and reason, above the summary line (the render itself is tested in test/render/).
 */
import type { SynthResult } from "../../render/pipeline";
import type { ValidationReport } from "../../validation";

const report: ValidationReport = {
  findings: [{ path: "prod/web/api.yaml", kind: "HorizontalPodAutoscaler", name: "api", field: "spec.maxReplicas", rule: "hpa-bounds", severity: "warning", message: "expected more than minReplicas (3), got 3: the autoscaler can never scale" }],
  allowed: [
    {
      path: "prod/web/vpn.yaml",
      kind: "Service",
      name: "vpn",
      field: "spec.type",
      rule: "no-external-services",
      severity: "error",
      message: 'expected ClusterIP (traffic enters through the Ingress), got "NodePort": it opens the Service outside the Ingress\'s TLS and the NetworkPolicies',
      reason: "the office VPN reaches the API through it until SHOP-7",
    },
  ],
  counts: { files: 2, objects: 2, errors: 0, warnings: 1, allowed: 1 },
};

const rendered: SynthResult = { folders: [{ folder: "prod/web", objects: 2 }], objects: 2, files: 3, report, timings: { load: 0, build: 0, validate: 0, write: 0 } };

jest.mock("../../render/pipeline", () => ({ ...jest.requireActual("../../render/pipeline"), synth: jest.fn(async () => rendered) }));

test("synth lists every warning and waiver it accepted, with object, field and reason, even with --quiet", async () => {
  const { main } = await import("../../cli/synth");
  const printed: string[] = [];
  jest.spyOn(console, "log").mockImplementation((line: string) => void printed.push(line));
  try {
    await main(["--quiet"]);
  } finally {
    jest.restoreAllMocks();
  }
  expect(printed.slice(0, -1)).toEqual([
    "prod",
    "  web",
    "    hpa-bounds (warning)",
    "      dist/prod/web/api.yaml: HorizontalPodAutoscaler/api: spec.maxReplicas: expected more than minReplicas (3), got 3: the autoscaler can never scale",
    "",
    "Allowed by slipway.dev/allow (1)",
    `  [no-external-services] dist/prod/web/vpn.yaml: Service/vpn: spec.type: expected ClusterIP (traffic enters through the Ingress), got "NodePort": it opens the Service outside the Ingress's TLS and the NetworkPolicies`,
    "    reason: the office VPN reaches the API through it until SHOP-7",
  ]);
  expect(printed.at(-1)).toMatch(/^synth: 2 objects in 1 folders → dist\/ \(3 files\) in \d+\.\d\d s; validation: 0 errors, 1 warning\(s\), 1 allowed exception\(s\)$/);
  expect(process.exitCode).toBeUndefined();
});
