/** object-size counts bytes as the API server does: Go's JSON, with `<`, `>` and `&` escaped to six bytes each. */
import { checkObjects, lines } from "./support";

const configMap = (value: string, annotations: Record<string, string> = {}) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "page", annotations }, data: { "index.html": value } });

describe("object-size", () => {
  test("HTML counts six bytes per escaped character: 44,000 of them outgrow the annotation limit", async () => {
    expect(lines((await checkObjects([configMap("<".repeat(44_000))])).findings, "object-size")).toEqual([
      "ConfigMap/page: metadata.annotations: expected at most 255.0 KiB of annotations once kubectl apply adds its kubectl.kubernetes.io/last-applied-configuration copy of the object, got 258.0 KiB (the object is 264107 bytes of JSON): the API server refuses it at sync; split it, or apply it server-side with argocd.argoproj.io/sync-options: ServerSideApply=true",
    ]);
  });

  test("the same object applied server-side or replaced keeps no copy and fits", async () => {
    for (const option of ["ServerSideApply=true", "Prune=false,Replace=true"]) {
      expect(lines((await checkObjects([configMap("<".repeat(44_000), { "argocd.argoproj.io/sync-options": option })])).findings, "object-size")).toEqual([]);
    }
  });
});
