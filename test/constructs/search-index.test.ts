/**
 * SearchIndex, checked on its RENDERED OBJECTS ONLY. NO REAL SOLR RUNS IN THESE TESTS: Solr is not packaged
 * in Debian 12 and no container engine runs here, so nothing below proves that Solr starts with this pod
 * spec. The fields asserted are the ones taken from the official image's Dockerfile and scripts (see
 * constructs/search-index.ts). Against a real Solr, run the same restrictions with Docker:
 *
 *   docker run --rm --read-only --tmpfs /tmp --user 8983:8983 --cap-drop ALL --security-opt no-new-privileges \
 *     -v solr-data:/var/solr -e SOLR_HEAP=512m -e SOLR_ADMIN_UI_DISABLED=true -p 8983:8983 solr:9.10.1 solr-precreate daas
 *   curl -fsS localhost:8983/solr/admin/info/health      # the probes' endpoint: {"status":"OK",…}
 *   curl -fsS 'localhost:8983/solr/daas/select?q=*:*'     # the core SOLR_URL points at exists
 *
 * or on a cluster: `kubectl -n daas-dev rollout status statefulset/search`, then
 * `kubectl -n daas-dev exec search-0 -- wget -qO- 'http://localhost:8983/solr/daas/select?q=*:*'`.
 */
import type { IStatefulSet } from "kubernetes-models/apps/v1";
import type { IDeployment } from "kubernetes-models/apps/v1";
import type { IService } from "kubernetes-models/v1";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { Api } from "../../constructs/api";
import { Frontend } from "../../constructs/frontend";
import { Proxy } from "../../constructs/proxy";
import { javaBytes, SearchIndex, type SearchIndexProps } from "../../constructs/search-index";
import { Worker } from "../../constructs/worker";
import { errorOf, find, image, INGRESS, kindsAndNames, objects, testChart } from "../support/chart";

const IMAGE = image("docker.io/library/solr", "9.10.1");
const SELECTOR = { "app.kubernetes.io/name": "search", "app.kubernetes.io/instance": "web" };
const HEALTH = { httpGet: { path: "/solr/admin/info/health", port: "solr" } };

function render(props: Partial<SearchIndexProps> = {}) {
  const chart = testChart();
  const search = new SearchIndex(chart, "search", { image: IMAGE, ...props });
  const all = objects(chart);
  const statefulSet = find<IStatefulSet>(all, "StatefulSet", "search");
  const pod = statefulSet.spec!.template.spec!;
  return { chart, search, all, statefulSet, pod, solr: pod.containers[0]! };
}

describe("javaBytes", () => {
  test.each([
    ["512m", 512 * 1024 ** 2],
    ["2g", 2 * 1024 ** 3],
    ["1G", 1024 ** 3],
    ["65536k", 64 * 1024 ** 2],
  ])("%s is %d bytes, as the JVM reads -Xmx", (size, bytes) => {
    expect(javaBytes(size)).toBe(bytes);
  });

  test.each(["512Mi", "1.5g", "512", ""])("'%s' is unreadable (NaN)", (size) => {
    expect(javaBytes(size)).toBeNaN();
  });
});

describe("SearchIndex (rendered objects only: NO REAL SOLR RAN, see the top of this file for the check against one)", () => {
  test("renders its policy, a ServiceAccount, a StatefulSet and a ClusterIP Service, and nothing public", () => {
    const { all } = render();
    expect(kindsAndNames(all)).toEqual(["NetworkPolicy/search", "ServiceAccount/search", "StatefulSet/search", "Service/search"]);
    expect(find<IService>(all, "Service", "search").spec).toEqual({
      type: "ClusterIP",
      selector: SELECTOR,
      ports: [{ name: "solr", port: 8983, targetPort: "solr", protocol: "TCP" }],
    });
  });

  test("keeps the image's entrypoint (init-var-solr prepares the empty volume) and creates the core 'main' on first start", () => {
    const { solr } = render();
    expect(solr.command).toBeUndefined();
    expect(solr.args).toEqual(["solr-precreate", "main"]);
  });

  test("creates the named core from the configset folder given", () => {
    expect(render({ core: "daas", configSet: "/opt/solr/server/solr/configsets/daas" }).solr.args).toEqual([
      "solr-precreate",
      "daas",
      "/opt/solr/server/solr/configsets/daas",
    ]);
  });

  test("runs as the image's solr user (8983) with a read-only root: /var/solr is its volume, /tmp the JVM's scratch", () => {
    const { pod, solr } = render();
    expect(pod.securityContext).toMatchObject({ runAsUser: 8983, runAsGroup: 8983, fsGroup: 8983, runAsNonRoot: true });
    expect(solr.securityContext?.readOnlyRootFilesystem).toBe(true);
    expect(solr.volumeMounts).toEqual([
      { name: "tmp", mountPath: "/tmp" },
      { name: "data", mountPath: "/var/solr" },
    ]);
    expect(pod.volumes).toEqual([{ name: "tmp", emptyDir: {} }]);
  });

  test("its 10Gi data volume outlives the StatefulSet, syncs and the Application", () => {
    const { statefulSet } = render();
    expect(statefulSet.metadata?.annotations).toEqual({ "argocd.argoproj.io/sync-options": "Prune=false,Delete=false" });
    expect(statefulSet.spec?.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
    expect(statefulSet.spec?.volumeClaimTemplates?.map((t) => [t.metadata?.name, t.spec])).toEqual([
      ["data", { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } }],
    ]);
    expect(render({ storage: { size: "50Gi", storageClassName: "fast-ssd" } }).statefulSet.spec?.volumeClaimTemplates?.[0]?.spec).toEqual({
      accessModes: ["ReadWriteOnce"],
      storageClassName: "fast-ssd",
      resources: { requests: { storage: "50Gi" } },
    });
  });

  test("probes Solr's health endpoint on the solr port, giving the JVM two minutes to start", () => {
    const { solr } = render();
    expect(solr.ports).toEqual([{ name: "solr", containerPort: 8983, protocol: "TCP" }]);
    expect(solr.startupProbe).toEqual({ ...HEALTH, periodSeconds: 5, failureThreshold: 24, timeoutSeconds: 3 });
    expect(solr.readinessProbe).toEqual({ ...HEALTH, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 });
    expect(solr.livenessProbe).toEqual({ ...HEALTH, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 });
  });

  test("a 512m heap in 1Gi, with the admin UI switched off", () => {
    const { solr } = render();
    expect(solr.resources).toEqual({ requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "1Gi" } });
    expect(solr.env).toEqual([
      { name: "SOLR_ADMIN_UI_DISABLED", value: "true" },
      { name: "SOLR_HEAP", value: "512m" },
    ]);
  });

  test("adminUi serves the admin UI (for kubectl port-forward); the heap follows 'heap'", () => {
    expect(render({ adminUi: true, heap: "1g", resources: { cpu: "500m", memory: "2Gi" } }).solr.env).toEqual([{ name: "SOLR_HEAP", value: "1g" }]);
  });

  test("a component connecting to it gets SOLR_URL pointing at the core, and the same as parts", () => {
    const { chart, search } = render({ core: "daas" });
    new Api(chart, "api", { image: image("ghcr.io/acme/api") }).connect(search);
    expect(find<IDeployment>(objects(chart), "Deployment", "api").spec?.template.spec?.containers[0]?.env).toEqual([
      { name: "SOLR_CORE", value: "daas" },
      { name: "SOLR_HOST", value: "search" },
      { name: "SOLR_PORT", value: "8983" },
      { name: "SOLR_URL", value: "http://search:8983/solr/daas" },
    ]);
  });

  test("only the components connected to it may reach it; it reaches nothing", () => {
    const { chart, search } = render();
    new Api(chart, "api", { image: image("ghcr.io/acme/api") }).connect(search);
    new Worker(chart, "indexer", { image: image("ghcr.io/acme/indexer"), probe: { exec: ["true"] } }).connect(search);
    expect(find<INetworkPolicy>(objects(chart), "NetworkPolicy", "search").spec).toEqual({
      podSelector: { matchLabels: SELECTOR },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "web" } } },
            { podSelector: { matchLabels: { "app.kubernetes.io/name": "indexer", "app.kubernetes.io/instance": "web" } } },
          ],
          ports: [{ port: 8983, protocol: "TCP" }],
        },
      ],
    });
  });

  test("refuses a Proxy route to it: the admin UI is never public", () => {
    const { chart, search } = render();
    const frontend = new Frontend(chart, "frontend", { image: image("ghcr.io/acme/web") });
    expect(
      errorOf(
        () =>
          new Proxy(chart, "proxy", {
            image: image("nginxinc/nginx-unprivileged", "1.27.3"),
            hosts: ["shop.example.com"],
            ingress: INGRESS,
            routes: [
              { path: "/", to: frontend },
              { path: "/solr", to: search, port: "solr" },
            ],
          }),
      ),
    ).toBe(
      "SearchIndex 'search': Proxy 'proxy' may not route to it: Solr's admin UI and APIs share one port and are never public; connect the components that query it instead",
    );
  });

  describe("validation", () => {
    test.each<[string, Partial<SearchIndexProps>, string]>([
      ["a core name starting with '-'", { core: "-daas" }, "SearchIndex 'search': 'core' must be a Solr core name (letters, digits, '.', '_' and '-', not starting with '-') (got '-daas')"],
      ["a core name with a slash", { core: "a/b" }, "SearchIndex 'search': 'core' must be a Solr core name (letters, digits, '.', '_' and '-', not starting with '-') (got 'a/b')"],
      [
        "a relative configset folder",
        { configSet: "configsets/daas" },
        "SearchIndex 'search': 'configSet' must be an absolute folder in the image, e.g. /opt/solr/server/solr/configsets/mine (got 'configsets/daas')",
      ],
      ["a heap in Kubernetes units", { heap: "512Mi" }, "SearchIndex 'search': 'heap' must be a JVM memory size such as 512m or 2g (got '512Mi')"],
      [
        "a heap above 75% of the memory limit",
        { heap: "800m" },
        "SearchIndex 'search': 'heap' 800m must be at most 75% of the memory limit 1Gi (the JVM needs the rest for itself); raise resources.memory or lower heap",
      ],
      [
        "a heap measured against the limit, not the request",
        { heap: "1g", resources: { cpu: "250m", memory: "2Gi", memoryLimit: "1Gi" } },
        "SearchIndex 'search': 'heap' 1g must be at most 75% of the memory limit 1Gi (the JVM needs the rest for itself); raise resources.memory or lower heap",
      ],
      [
        "a storage size that is no quantity",
        { storage: { size: "10 GB" } },
        "SearchIndex 'search': 'storage.size' must be a Kubernetes quantity such as 250m, 512Mi or 10Gi (got '10 GB')",
      ],
    ])("refuses %s", (_, props, message) => {
      expect(errorOf(() => render(props))).toBe(message);
    });

    test("accepts a heap of exactly 75% of the limit", () => {
      expect(() => render({ heap: "768m" })).not.toThrow();
    });
  });
});
