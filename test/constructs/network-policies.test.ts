import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import type { Endpoint } from "../../constructs/lib/component";
import { NetworkPolicies, type NetworkPoliciesProps } from "../../constructs/network-policies";
import { buildShop, errorOf, find, kindsAndNames, objects, testChart } from "../support/chart";

const endpoint = (name: string, ports: Record<string, number>): Endpoint => ({
  name,
  selector: { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": "web" },
  ports,
});
const proxy = endpoint("proxy", { http: 8080 });
const api = endpoint("api", { http: 8000, metrics: 9090 });
const database = endpoint("database", { postgres: 5432 });
const migration = endpoint("api-migrate", {});

const DNS = {
  to: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    },
  ],
  ports: [
    { port: 53, protocol: "UDP" },
    { port: 53, protocol: "TCP" },
  ],
};

const PROPS: NetworkPoliciesProps = {
  public: [proxy],
  ingressControllerNamespace: "ingress-nginx",
  edges: [
    { from: proxy, to: api },
    { from: api, to: database },
    { from: migration, to: database },
  ],
};

function render(props: Partial<NetworkPoliciesProps> = {}) {
  const chart = testChart();
  new NetworkPolicies(chart, "network-policies", { ...PROPS, ...props });
  const all = objects(chart);
  return { all, policy: (name: string) => find<INetworkPolicy>(all, "NetworkPolicy", name) };
}

describe("NetworkPolicies", () => {
  test("renders default-deny, then one policy per component by name", () => {
    expect(kindsAndNames(render().all)).toEqual([
      "NetworkPolicy/default-deny",
      "NetworkPolicy/acme-http01-solver",
      "NetworkPolicy/api",
      "NetworkPolicy/api-migrate",
      "NetworkPolicy/database",
      "NetworkPolicy/proxy",
    ]);
  });

  test("cert-manager's HTTP-01 solver pods are reachable from the ingress controller on port 8089, and only that", () => {
    expect(render().policy("acme-http01-solver").spec).toEqual({
      podSelector: { matchLabels: { "acme.cert-manager.io/http01-solver": "true" } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }],
          ports: [{ port: 8089, protocol: "TCP" }],
        },
      ],
    });
  });

  test("acmeHttp01: false leaves the solver policy out (DNS-01 issuers need none)", () => {
    expect(kindsAndNames(render({ acmeHttp01: false }).all)).not.toContain("NetworkPolicy/acme-http01-solver");
  });

  test("an isolated component on no edge gets a policy that allows DNS only", () => {
    const worker = { name: "worker", selector: { "app.kubernetes.io/name": "worker" }, ports: {} };
    const { policy } = render({ isolated: [worker] });
    expect(policy("worker").spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "worker" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [DNS],
    });
  });

  test("default-deny selects every pod of the namespace and allows nothing in or out", () => {
    expect(render().policy("default-deny").spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });

  test("the public component is reached from the ingress controller's namespace on its ports", () => {
    const spec = render().policy("proxy").spec;
    expect(spec?.podSelector).toEqual({ matchLabels: proxy.selector });
    expect(spec?.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(spec?.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }],
        ports: [{ port: 8080, protocol: "TCP" }],
      },
    ]);
  });

  test("a component is reached only from its callers, on every port it serves", () => {
    expect(render().policy("api").spec?.ingress).toEqual([
      {
        from: [{ podSelector: { matchLabels: proxy.selector } }],
        ports: [
          { port: 8000, protocol: "TCP" },
          { port: 9090, protocol: "TCP" },
        ],
      },
    ]);
  });

  test("all callers of a component share one rule", () => {
    expect(render().policy("database").spec?.ingress).toEqual([
      {
        from: [{ podSelector: { matchLabels: api.selector } }, { podSelector: { matchLabels: migration.selector } }],
        ports: [{ port: 5432, protocol: "TCP" }],
      },
    ]);
  });

  test("a component reaches DNS in kube-system over UDP and TCP 53, then each of its callees on their ports", () => {
    expect(render().policy("api").spec?.egress).toEqual([DNS, { to: [{ podSelector: { matchLabels: database.selector } }], ports: [{ port: 5432, protocol: "TCP" }] }]);
    expect(render().policy("proxy").spec?.egress).toEqual([
      DNS,
      {
        to: [{ podSelector: { matchLabels: api.selector } }],
        ports: [
          { port: 8000, protocol: "TCP" },
          { port: 9090, protocol: "TCP" },
        ],
      },
    ]);
  });

  test("a caller that serves nothing (a job) accepts no connection", () => {
    const spec = render().policy("api-migrate").spec;
    expect(spec?.ingress).toEqual([]);
    expect(spec?.egress).toEqual([DNS, { to: [{ podSelector: { matchLabels: database.selector } }], ports: [{ port: 5432, protocol: "TCP" }] }]);
  });

  test("a component that calls nothing reaches DNS only", () => {
    expect(render().policy("database").spec?.egress).toEqual([DNS]);
  });

  test("a public component on no edge is reached from the ingress controller and reaches DNS only", () => {
    const { all, policy } = render({ edges: [] });
    expect(kindsAndNames(all)).toEqual(["NetworkPolicy/default-deny", "NetworkPolicy/acme-http01-solver", "NetworkPolicy/proxy"]);
    expect(policy("proxy").spec?.ingress).toHaveLength(1);
    expect(policy("proxy").spec?.egress).toEqual([DNS]);
  });

  test("a public component that is also called gets both rules, the ingress controller's first", () => {
    const ingress = render({ edges: [{ from: api, to: proxy }] }).policy("proxy").spec?.ingress;
    expect(ingress?.map((rule) => rule.from)).toEqual([
      [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }],
      [{ podSelector: { matchLabels: api.selector } }],
    ]);
  });

  test("dnsPodLabels select the cluster's DNS pods", () => {
    const egress = render({ dnsPodLabels: { "k8s-app": "coredns" } }).policy("database").spec?.egress;
    expect(egress?.[0]?.to).toEqual([
      {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
        podSelector: { matchLabels: { "k8s-app": "coredns" } },
      },
    ]);
  });

  test("the policies carry the stack's labels", () => {
    expect(render().policy("api").metadata?.labels).toEqual({
      "app.kubernetes.io/part-of": "web",
      "app.kubernetes.io/instance": "web",
      "app.kubernetes.io/managed-by": "slipway",
    });
  });

  test("the shop's database is reached by the API, its migration and its backup, and by nothing else", () => {
    const chart = testChart();
    buildShop(chart);
    const ingress = find<INetworkPolicy>(objects(chart), "NetworkPolicy", "database").spec?.ingress;
    expect(ingress?.flatMap((rule) => rule.from?.map((peer) => peer.podSelector?.matchLabels?.["app.kubernetes.io/name"]))).toEqual([
      "api",
      "api-migrate",
      "database-backup",
    ]);
  });

  describe("validation", () => {
    test("refuses two components of the same name", () => {
      const other = endpoint("api", { grpc: 9000 });
      expect(errorOf(() => render({ edges: [{ from: proxy, to: api }, { from: proxy, to: other }] }))).toBe(
        "NetworkPolicies 'network-policies': two components are named 'api'; names must be unique in a stack",
      );
    });

    test("refuses a call to a component that serves no port", () => {
      expect(errorOf(() => render({ edges: [{ from: api, to: migration }] }))).toBe(
        "NetworkPolicies 'network-policies': 'api' calls 'api-migrate', which serves no port",
      );
    });
  });
});
