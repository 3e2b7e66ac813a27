import type { KubeObject } from "../../lib/kube-object";
import { COMMENT_MARKER, formatMarkdown, formatText, type DiffReport } from "../../review/format";
import { findRisks } from "../../review/risks";
import { diffTrees } from "../../review/semantic-diff";

const api = (tag: string, replicas: number): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "api", namespace: "shop" },
  spec: { replicas, template: { spec: { containers: [{ name: "api", image: `ghcr.io/acme/api:${tag}` }] } } },
});
const config = (rate: string, odd: string): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "proxy", namespace: "shop" },
  data: { "nginx.conf": `server {\n  limit_req rate=${rate};\n}\n`, "a|b": odd },
});
const secret: KubeObject = { apiVersion: "v1", kind: "Secret", metadata: { name: "db", namespace: "shop" }, data: { password: "c2VjcmV0" } };

function report(): DiffReport {
  const groups = diffTrees(
    [
      { path: "prod/shop/api.yaml", objects: [api("1.4.2", 2), config("10r/s", "x`y")] },
      { path: "staging/shop/api.yaml", objects: [api("1.5.0", 1)] },
    ],
    [
      { path: "prod/shop/api.yaml", objects: [api("1.5.0", 0), config("20r/s", "x`z")] },
      { path: "prod/shop/db.yaml", objects: [secret] },
      { path: "staging/shop/api.yaml", objects: [api("1.5.0", 1)] },
    ],
  );
  return { title: "main @ 1a2b3c4 (committed dist/) → working tree", groups, risks: findRisks(groups, (env) => env === "prod"), notes: [] };
}

describe("formatText", () => {
  test("risky changes first, then environment/stack → object → field, then what did not change", () => {
    expect(formatText(report())).toBe(
      [
        "slipway diff: main @ 1a2b3c4 (committed dist/) → working tree",
        "risky changes (2):",
        "  ! prod/shop Deployment api: replicas 2 → 0: no pods will run",
        "  ! prod/shop Deployment api: container 'api': image ghcr.io/acme/api:1.5.0 has no digest, but this environment pins images by digest (policy.requireImageDigests)",
        "",
        "prod/shop: 2 changed, 1 added",
        "  ~ ConfigMap proxy (api.yaml)",
        '      data["a|b"]: "x`y" → "x`z"',
        '      data["nginx.conf"]:',
        "        @@ -1,3 +1,3 @@",
        "         server {",
        "        -  limit_req rate=10r/s;",
        "        +  limit_req rate=20r/s;",
        "         }",
        "  ~ Deployment api (api.yaml)",
        "      spec.replicas: 2 → 0",
        "      spec.template.spec.containers[api].image: ghcr.io/acme/api:1.4.2 → ghcr.io/acme/api:1.5.0",
        "  + Secret db (db.yaml)",
        "",
        "unchanged: staging/shop",
        "summary: 2 changed, 1 added in 1 of 2 folders; 2 risky",
        "",
      ].join("\n"),
    );
  });

  test("nothing changed", () => {
    expect(formatText({ title: "t", groups: diffTrees([], []), risks: [], notes: ["dist/ is stale"] })).toBe(
      "slipway diff: t\nnote: dist/ is stale\nsummary: no changes in 0 of 0 folders\n",
    );
  });
});

describe("formatMarkdown", () => {
  test("a PR comment: marker, risks, a summary table, a collapsible section per environment", () => {
    expect(formatMarkdown(report())).toBe(
      [
        COMMENT_MARKER,
        "### Slipway diff",
        "",
        "main @ 1a2b3c4 (committed dist/) → working tree",
        "",
        "> [!CAUTION]",
        "> **2 risky changes**",
        ">",
        "> - **prod/shop** Deployment `api`: replicas 2 → 0: no pods will run",
        "> - **prod/shop** Deployment `api`: container 'api': image ghcr.io/acme/api:1.5.0 has no digest, but this environment pins images by digest (policy.requireImageDigests)",
        "",
        "| environment | stack | added | removed | changed | risky |",
        "|---|---|--:|--:|--:|--:|",
        "| prod | shop | 1 | 0 | 2 | 2 |",
        "",
        "<details><summary><b>prod</b>: 2 changed, 1 added</summary>",
        "",
        "#### shop",
        "",
        "- **~ ConfigMap** `proxy` (`api.yaml`)",
        '  - `data["a\\|b"]`: `` "x`y" `` → `` "x`z" ``',
        '  - `data["nginx.conf"]`:',
        "    ```diff",
        "    @@ -1,3 +1,3 @@",
        "     server {",
        "    -  limit_req rate=10r/s;",
        "    +  limit_req rate=20r/s;",
        "     }",
        "    ```",
        "- **~ Deployment** `api` (`api.yaml`)",
        "  - `spec.replicas`: `2` → `0`",
        "  - `spec.template.spec.containers[api].image`: `ghcr.io/acme/api:1.4.2` → `ghcr.io/acme/api:1.5.0`",
        "- **+ Secret** `db` (`db.yaml`)",
        "",
        "</details>",
        "",
        "<sub>summary: 2 changed, 1 added in 1 of 2 folders; 2 risky</sub>",
        "",
      ].join("\n"),
    );
  });

  test("a diff too long for a comment drops the field details, then the objects, and says so", () => {
    const full = formatMarkdown(report());
    const objects = formatMarkdown(report(), full.length - 1);
    expect(objects).not.toContain("spec.replicas");
    expect(objects).toContain("- **~ Deployment** `api` (`api.yaml`)\n");
    expect(objects).toContain("_The full diff is too long for a comment: run `npm run diff` to see every field._");
    const summary = formatMarkdown(report(), 600);
    expect(summary).not.toContain("<details>");
    expect(summary).toContain("| prod | shop | 1 | 0 | 2 | 2 |");
  });

  test("nothing changed", () => {
    expect(formatMarkdown({ title: "t", groups: [], risks: [], notes: [] })).toBe(`${COMMENT_MARKER}\n### Slipway diff\n\nt\n\nNo changes to the rendered manifests.\n`);
  });
});
