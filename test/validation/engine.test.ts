/** The gate's reading of files: Lists are judged item by item, as Argo CD applies them. */
import { check, lines } from "./support";

const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "shop" }, data });

describe("Lists", () => {
  test("every rule and the schema pass judge the items of a v1 List, with paths inside the List", async () => {
    const list = {
      apiVersion: "v1",
      kind: "List",
      items: [configMap("settings", { LOG_LEVEL: "info" }), { ...configMap("mail", { SMTP_PWD: "x" }), dataa: {} }],
    };
    const report = await check([{ path: "shop/web/config.yaml", objects: [list as never] }]);
    expect(report.findings.map((f) => `${f.rule}: ${f.kind}/${f.name}: ${f.field}: ${f.message}`)).toEqual([
      "schema: ConfigMap/mail: items[1].dataa: unknown field",
      "no-plaintext-credentials: ConfigMap/mail: items[1].data.SMTP_PWD: expected no credential in a ConfigMap, got key 'SMTP_PWD'; keep it in a Secret produced by an ExternalSecret",
    ]);
    expect(report.counts.objects).toBe(2);
  });

  test("any object whose items is a list is a List (ConfigMapList too), and items: null is an empty one", async () => {
    const report = await check([
      { path: "a/b/lists.yaml", objects: [{ apiVersion: "v1", kind: "ConfigMapList", items: [configMap("settings", {})] } as never, { apiVersion: "v1", kind: "List", items: null } as never] },
    ]);
    expect(report.findings).toEqual([]);
    expect(report.counts.objects).toBe(1);
  });

  test("an item that is not an object is a schema error at its index", async () => {
    const report = await check([{ path: "a/b/list.yaml", objects: [{ apiVersion: "v1", kind: "List", items: ["oops"] } as never] }]);
    expect(lines(report.findings, "schema")).toEqual(['<no kind>/<no name>: items[0]: expected a Kubernetes object (a mapping with apiVersion and kind), got "oops"']);
  });
});
