/**
 * Connections declared once: `a.connect(b)` opens a's egress to b, b's ingress from a, and gives a the
 * variables b offers. Every component's own NetworkPolicy is derived from its connections alone.
 */
import type { IDeployment } from "kubernetes-models/apps/v1";
import { Api } from "../../../constructs/api";
import { CronJob } from "../../../constructs/cron-job";
import { ExternalService } from "../../../constructs/external-service";
import { Worker } from "../../../constructs/worker";
import type { Connectable } from "../../../constructs/lib/component";
import { buildShop, errorOf, find, image, objects, testChart } from "../../support/chart";

const pods = (name: string) => ({ podSelector: { matchLabels: { "app.kubernetes.io/instance": "web", "app.kubernetes.io/name": name } } });
const tcp = (port: number) => ({ port, protocol: "TCP" });
const policy = (chart: ReturnType<typeof testChart>, name: string) => find<any>(objects(chart), "NetworkPolicy", name).spec;
const worker = (chart: ReturnType<typeof testChart>, id = "worker") => new Worker(chart, id, { image: image("ghcr.io/acme/worker"), probe: { exec: ["true"] } });

describe("a component's NetworkPolicy", () => {
  test("selects its pods and, unconnected, admits nothing and reaches nothing (DNS is the namespace's, for every pod)", () => {
    const chart = testChart();
    new Api(chart, "api", { image: image("api") });
    expect(policy(chart, "api")).toEqual({ podSelector: { matchLabels: pods("api").podSelector.matchLabels }, policyTypes: ["Ingress", "Egress"] });
  });

  test("connect opens the caller's egress and the callee's ingress on the callee's ports", () => {
    const chart = testChart();
    const api = new Api(chart, "api", { image: image("api") });
    worker(chart).connect(api);
    expect(policy(chart, "worker").egress).toEqual([{ to: [pods("api")], ports: [tcp(8000)] }]);
    expect(policy(chart, "api").ingress).toEqual([{ from: [pods("worker")], ports: [tcp(8000)] }]);
  });

  test("callers on the same ports share one rule, in name order, whatever order they connected in", () => {
    const chart = testChart();
    const api = new Api(chart, "api", { image: image("api") });
    worker(chart, "zeta").connect(api);
    worker(chart, "alpha").connect(api);
    expect(policy(chart, "api").ingress).toEqual([{ from: [pods("alpha"), pods("zeta")], ports: [tcp(8000)] }]);
  });

  test("connecting twice to the same target opens it once", () => {
    const chart = testChart();
    const api = new Api(chart, "api", { image: image("api") });
    const w = worker(chart).connect(api, { envPrefix: false }).connect(api, { envPrefix: false });
    expect(policy(chart, "worker").egress).toEqual([{ to: [pods("api")], ports: [tcp(8000)] }]);
    expect(w.hasEnv("API_URL")).toBe(false);
  });

  test("the reference stack's database admits the API, its migration, the setup and the backup, and nothing else", () => {
    const chart = testChart();
    buildShop(chart);
    expect(policy(chart, "database").ingress).toEqual([
      { from: [pods("api"), pods("api-migrate"), pods("database-backup"), pods("database-setup")], ports: [tcp(5432)] },
    ]);
    expect(policy(chart, "cache").ingress).toEqual([{ from: [pods("api"), pods("api-migrate")], ports: [tcp(6379)] }]);
  });
});

describe("services outside the stack", () => {
  test("egress to CIDRs (IPv4 and IPv6) on the service's ports, and its host as variables", () => {
    const chart = testChart();
    const smtp = new ExternalService(chart, "smtp", { cidrs: ["192.0.2.10/32", "2001:db8::/48"], ports: { submission: 587 }, host: "smtp.example.com" });
    const w = worker(chart).connect(smtp);
    expect(policy(chart, "worker").egress).toEqual([{ to: [{ ipBlock: { cidr: "192.0.2.10/32" } }, { ipBlock: { cidr: "2001:db8::/48" } }], ports: [tcp(587)] }]);
    const env = find<IDeployment>(objects(chart), "Deployment", w.name).spec?.template.spec?.containers[0]?.env;
    expect(env).toEqual([
      { name: "SMTP_HOST", value: "smtp.example.com" },
      { name: "SMTP_PORT", value: "587" },
    ]);
  });

  test("egress to a service in another namespace of the cluster, UDP included", () => {
    const chart = testChart();
    const syslog = new ExternalService(chart, "syslog", { namespace: { name: "logging", podLabels: { app: "syslog" } }, ports: { syslog: { port: 514, protocol: "UDP" } } });
    worker(chart).connect(syslog);
    expect(policy(chart, "worker").egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "logging" } }, podSelector: { matchLabels: { app: "syslog" } } }],
        ports: [{ port: 514, protocol: "UDP" }],
      },
    ]);
  });

  test.each<[string, ConstructorParameters<typeof ExternalService>[2], string]>([
    ["neither addresses nor a namespace", { ports: { https: 443 } }, "ExternalService 'partner': give either 'cidrs' (addresses outside the cluster) or 'namespace' (a namespace of this cluster), not neither"],
    ["both", { cidrs: ["10.0.0.0/8"], namespace: { name: "x" }, ports: { https: 443 } }, "ExternalService 'partner': give either 'cidrs' (addresses outside the cluster) or 'namespace' (a namespace of this cluster), not both"],
    ["a host name where a network belongs", { cidrs: ["api.partner.com"], ports: { https: 443 } }, "ExternalService 'partner': 'api.partner.com' is not a network: expected an IPv4 or IPv6 CIDR such as 10.0.0.0/8 or 2001:db8::/32"],
    ["a prefix too long for IPv4", { cidrs: ["10.0.0.0/33"], ports: { https: 443 } }, "ExternalService 'partner': '10.0.0.0/33' is not a network: expected an IPv4 or IPv6 CIDR such as 10.0.0.0/8 or 2001:db8::/32"],
    ["no port", { cidrs: ["10.0.0.0/8"], ports: {} }, "ExternalService 'partner': 'ports' is empty; list the ports it is called on"],
  ])("an external service refuses %s", (_, props, message) => {
    expect(errorOf(() => new ExternalService(testChart(), "partner", props))).toBe(message);
  });
});

describe("connection options and mistakes", () => {
  test("ports narrows a connection to some of the target's ports", () => {
    const chart = testChart();
    const partner = new ExternalService(chart, "partner", { cidrs: ["198.51.100.0/24"], ports: { https: 443, admin: 8443 } });
    worker(chart).connect(partner, { ports: ["https"] });
    expect(policy(chart, "worker").egress[0].ports).toEqual([tcp(443)]);
  });

  test("a target's defaultPorts are what a connection opens when it names none; the others open only when named", () => {
    const chart = testChart();
    const broker: Connectable = {
      description: "Broker 'broker'",
      peers: [pods("broker")],
      clientPorts: { amqp: { port: 5672, protocol: "TCP" }, management: { port: 15672, protocol: "TCP" } },
      defaultPorts: ["amqp"],
      admit: () => undefined,
    };
    worker(chart, "consumer").connect(broker);
    worker(chart, "admin").connect(broker, { ports: ["management"] });
    expect(policy(chart, "consumer").egress).toEqual([{ to: [pods("broker")], ports: [tcp(5672)] }]);
    expect(policy(chart, "admin").egress).toEqual([{ to: [pods("broker")], ports: [tcp(15672)] }]);
  });

  test("a port the target does not offer is an error naming what it offers", () => {
    const chart = testChart();
    const api = new Api(chart, "api", { image: image("api") });
    expect(errorOf(() => worker(chart).connect(api, { ports: ["metrics"] }))).toBe("Worker 'worker': cannot connect to Api 'api' on 'metrics': it offers http");
  });

  test("a target that serves no port cannot be connected to", () => {
    const chart = testChart();
    const job = new CronJob(chart, "report", { image: image("report"), schedule: "@daily" });
    expect(errorOf(() => worker(chart).connect(job))).toBe("Worker 'worker': cannot connect to CronJob 'report' on no port: it offers no port");
  });

  test("a variable the component sets itself and a connection also sets is an error naming both, never a silent overwrite", () => {
    const chart = testChart();
    const api = new Api(chart, "api", { image: image("api") });
    const w = new Worker(chart, "worker", { image: image("worker"), probe: { exec: ["true"] }, env: { API_URL: "http://elsewhere" } });
    expect(errorOf(() => w.connect(api))).toBe(
      "Worker 'worker': 'API_URL' is set both by its env and by its connection to Api 'api'; keep one (a connection's variables can be renamed with its envPrefix)",
    );
  });
});
