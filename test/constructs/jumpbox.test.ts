import type { IDeployment } from "kubernetes-models/apps/v1";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { Database } from "../../constructs/database";
import { Jumpbox, JUMPBOX_WAIVERS, type JumpboxProps } from "../../constructs/jumpbox";
import { HIGH_AVAILABILITY_CONTEXT } from "../../constructs/lib/scaling";
import { SecretStore } from "../../constructs/secret-store";
import { ALLOW_ANNOTATION } from "../../lib/kube-object";
import { RULES } from "../../validation";
import { parseAllowances } from "../../validation/exceptions";
import { errorOf, find, image, kindsAndNames, objects, testChart, VAULT } from "../support/chart";

const IMAGE = image("ghcr.io/acme/jumpbox", "1.0.0");
const EXEC_TRUE = { exec: { command: ["true"] } };
const peer = (name: string) => ({ podSelector: { matchLabels: { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": "web" } } });

function render(props: Partial<JumpboxProps> = {}, options: { highAvailability?: boolean } = {}) {
  const chart = testChart();
  if (options.highAvailability !== undefined) chart.node.setContext(HIGH_AVAILABILITY_CONTEXT, options.highAvailability);
  const secrets = new SecretStore(chart, "secret-store", { source: VAULT, keyPrefix: "prod/web" });
  const database = new Database(chart, "database", { image: image("postgres", "16.4"), secrets, backup: false });
  const jumpbox = new Jumpbox(chart, "jumpbox", { image: IMAGE, ...props });
  return { chart, database, jumpbox, all: () => objects(chart) };
}

const deploymentOf = (all: ReturnType<typeof objects>) => find<IDeployment>(all, "Deployment", "jumpbox");

describe("Jumpbox", () => {
  test("renders its policy, a ServiceAccount and one pod's Deployment: no Service, nothing to call it on", () => {
    const { all } = render();
    expect(kindsAndNames(all()).filter((n) => n.endsWith("/jumpbox"))).toEqual(["NetworkPolicy/jumpbox", "ServiceAccount/jumpbox", "Deployment/jumpbox"]);
    const deployment = deploymentOf(all());
    expect(deployment.spec?.replicas).toBe(1);
    expect(deployment.spec?.template.spec?.containers[0]?.ports).toBeUndefined();
  });

  test("sleeps between exec sessions, with HOME on the writable /tmp so shells and clients can keep history", () => {
    const container = deploymentOf(render().all()).spec!.template.spec!.containers[0]!;
    expect(container.command).toEqual(["sleep", "infinity"]);
    expect(container.env).toEqual([{ name: "HOME", value: "/tmp" }]);
    expect(container.volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
    expect(container.resources).toEqual({ requests: { cpu: "10m", memory: "128Mi" }, limits: { memory: "128Mi" } });
  });

  test("is probed by an exec, which succeeds exactly when kubectl exec into it works", () => {
    const container = deploymentOf(render().all()).spec!.template.spec!.containers[0]!;
    expect(container.startupProbe).toEqual({ ...EXEC_TRUE, periodSeconds: 5, failureThreshold: 12, timeoutSeconds: 3 });
    expect(container.readinessProbe).toEqual({ ...EXEC_TRUE, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 });
    expect(container.livenessProbe).toEqual({ ...EXEC_TRUE, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 });
  });

  test("a HOME of its own and another command are kept", () => {
    const container = deploymentOf(render({ command: ["tail", "-f", "/dev/null"], env: { HOME: "/home/ops" } }).all()).spec!.template.spec!.containers[0]!;
    expect(container.command).toEqual(["tail", "-f", "/dev/null"]);
    expect(container.env).toEqual([{ name: "HOME", value: "/home/ops" }]);
  });

  test("unconnected, its policy admits no one and lets it reach no one (DNS is the namespace's)", () => {
    expect(find<INetworkPolicy>(render().all(), "NetworkPolicy", "jumpbox").spec).toEqual({
      podSelector: { matchLabels: peer("jumpbox").podSelector.matchLabels },
      policyTypes: ["Ingress", "Egress"],
    });
  });

  test("connected to the database, it reaches exactly the database's port and gets its variables; the database admits it", () => {
    const { jumpbox, database, all } = render();
    jumpbox.connect(database);
    expect(find<INetworkPolicy>(all(), "NetworkPolicy", "jumpbox").spec?.egress).toEqual([{ to: [peer("database")], ports: [{ port: 5432, protocol: "TCP" }] }]);
    expect(find<INetworkPolicy>(all(), "NetworkPolicy", "jumpbox").spec?.ingress).toBeUndefined();
    expect(find<INetworkPolicy>(all(), "NetworkPolicy", "database").spec?.ingress?.flatMap((r) => r.from)).toContainEqual(peer("jumpbox"));
    expect(deploymentOf(all()).spec!.template.spec!.containers[0]!.env!.map((v) => v.name)).toEqual([
      "DATABASE_HOST",
      "DATABASE_NAME",
      "DATABASE_PASSWORD",
      "DATABASE_PORT",
      "DATABASE_URL",
      "DATABASE_USER",
      "HOME",
    ]);
  });

  test("where the environment demands high availability it stays one pod and waives the rules that ask for more, with reasons", () => {
    const deployment = deploymentOf(render({}, { highAvailability: true }).all());
    expect(deployment.spec?.replicas).toBe(1);
    expect(deployment.metadata?.annotations?.[ALLOW_ANNOTATION]).toBe(
      [
        "min-replicas: a jumpbox is one operator shell and a second copy would serve no one",
        "pdb-required: evicting the jumpbox costs an operator a reconnect and nothing more",
        "topology-spread: a single operator shell has no replicas to spread across nodes",
      ].join("\n"),
    );
    const { allowances, problems } = parseAllowances(deployment as never, new Map(RULES.map((r) => [r.id, r])));
    expect(problems).toEqual([]);
    expect(allowances).toEqual(Object.entries(JUMPBOX_WAIVERS).map(([rule, reason]) => ({ rule, reason })));
  });

  test("elsewhere it carries no waiver", () => {
    expect(deploymentOf(render({}, { highAvailability: false }).all()).metadata?.annotations).toBeUndefined();
    expect(deploymentOf(render().all()).metadata?.annotations).toBeUndefined();
  });

  test("refuses a uid of 0", () => {
    expect(errorOf(() => render({ runAsUser: 0 }))).toBe("Jumpbox 'jumpbox': 'runAsUser' must be a uid ≥ 1 (got 0); containers never run as root");
  });
});
