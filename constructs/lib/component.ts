/**
 * What every component of a stack has in common: a name (also its Service's and ServiceAccount's), the
 * labels that select its pods, the ports it serves, a role that decides its sync wave, and its own
 * NetworkPolicy. Connections are declared once, with `connect`: the caller's egress, the callee's ingress
 * and the variables the caller needs to find the callee all follow from that one call.
 */
import { PropsError } from "../../lib/errors";
import { ApiObject, Lazy } from "cdk8s";
import { Construct } from "constructs";
import { DNS_LABEL, matches } from "../../lib/formats";
import type { Env } from "./env";
import { k8s } from "./k8s";
import { componentLabels, selectorLabels } from "./labels";
import { namespacePeer, podPeer, policyRules, type NetworkPeer, type NetworkPort, type NetworkRule } from "./network";
import { setRole, type Role } from "./roles";

/** Something a component can call: another component, or a service outside the stack. */
export interface Connectable {
  /** `Database 'database'`, for messages. */
  readonly description: string;
  /** Where a caller's egress rule points. */
  readonly peers: readonly NetworkPeer[];
  /** The ports callers may open, by name. */
  readonly clientPorts: Readonly<Record<string, NetworkPort>>;
  /**
   * The ports a connection opens when it names none; the others (a management UI) open only for a
   * connection that names them. Undefined: every client port.
   */
  readonly defaultPorts?: readonly string[];
  /**
   * What callers' variables are named after unless they say otherwise, e.g. `DATABASE` for
   * `DATABASE_URL`; undefined when the target gives callers no variables.
   */
  readonly envPrefix?: string;
  /** Records that `caller` calls on `ports`, so the callee's own policy admits it. */
  admit(caller: Component, ports: readonly NetworkPort[]): void;
  /** The variables a caller needs to reach it, named with `prefix`: a URL, host and port, credentials. */
  connectionEnv?(prefix: string): Env;
}

export interface ConnectOptions {
  /**
   * Prefix of the variables the connection gives the caller (`<PREFIX>_URL`…); `false` gives none, for a
   * caller that finds the target by other means.
   * @default - the target's own prefix, e.g. DATABASE for a Database
   */
  readonly envPrefix?: string | false;
  /**
   * The target's ports to open, by name.
   * @default - the ports the target opens by default (all its client ports unless it says otherwise)
   */
  readonly ports?: readonly string[];
}

const MAX_NAME_LENGTH = 50;

export abstract class Component extends Construct implements Connectable {
  /** Component name: its id, and the name of its Service, ServiceAccount and NetworkPolicy. */
  readonly name: string;
  /** Labels that select its pods. */
  readonly selector: Readonly<Record<string, string>>;
  readonly description: string;
  /** Ports it serves, by name. */
  abstract readonly ports: Readonly<Record<string, number>>;
  /** The ports a connection opens when it names none (see Connectable); undefined: all of them. */
  readonly defaultPorts?: readonly string[];
  /** Its own NetworkPolicy: who may call it, whom it may call (DNS is the namespace's, for every pod). */
  protected readonly policy: ApiObject;
  private readonly ingress: NetworkRule[] = [];
  private readonly egress: NetworkRule[] = [];
  /** Port numbers some caller was admitted on. */
  private readonly opened = new Set<number>();

  /** What it is, lower-case: its `app.kubernetes.io/component` label, e.g. `cronjob`. */
  readonly kind: string;

  /**
   * @param kind what it is, as its class is named, e.g. `CronJob`: messages say `CronJob 'report'`
   * @param role what it is for, which decides its sync wave
   */
  protected constructor(
    scope: Construct,
    id: string,
    kind: string,
    readonly role: Role,
  ) {
    super(scope, id);
    this.kind = kind.toLowerCase();
    this.description = `${kind} '${id}'`;
    if (!matches(DNS_LABEL, id) || id.length > MAX_NAME_LENGTH) {
      throw new PropsError(`${this.description}: the id names Kubernetes objects, so it must be a DNS label of at most ${MAX_NAME_LENGTH} characters`);
    }
    this.name = id;
    this.selector = selectorLabels(this, id);
    setRole(this, role);
    this.policy = new ApiObject(this, "network-policy", {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: this.name, labels: this.labels() },
      spec: Lazy.any({ produce: () => this.policySpec() }),
    });
  }

  get peers(): readonly NetworkPeer[] {
    return [podPeer(this.selector)];
  }

  get clientPorts(): Readonly<Record<string, NetworkPort>> {
    return Object.fromEntries(Object.entries(this.ports).map(([name, port]) => [name, { port, protocol: "TCP" as const }]));
  }

  /**
   * Calls `target`: opens this component's egress and the target's ingress on the target's client ports,
   * and gives this component the variables the target offers (see ConnectOptions).
   */
  connect(target: Connectable, options: ConnectOptions = {}): this {
    const offered = target.clientPorts;
    const names = options.ports ?? target.defaultPorts ?? Object.keys(offered);
    const unknown = names.filter((n) => !(n in offered));
    if (unknown.length || names.length === 0) {
      throw new PropsError(
        `${this.description}: cannot connect to ${target.description} on ${unknown.length ? `'${unknown.join("', '")}'` : "no port"}: it offers ${Object.keys(offered).join(", ") || "no port"}`,
      );
    }
    const ports = names.map((n) => offered[n]!);
    this.egress.push({ peers: target.peers, ports });
    target.admit(this, ports);
    const prefix = options.envPrefix === undefined ? target.envPrefix : options.envPrefix;
    if (prefix !== false && prefix !== undefined && target.connectionEnv) {
      this.addEnv(target.connectionEnv(prefix), `its connection to ${target.description}`);
    }
    return this;
  }

  admit(caller: Component, ports: readonly NetworkPort[]): void {
    this.ingress.push({ peers: caller.peers, ports });
    for (const p of ports) this.opened.add(p.port);
  }

  /**
   * The ports its Service offers: those connections open by default, and any other once a connection
   * opened it by name. A port no one may reach (a management UI nobody connects to) stays off the Service.
   * Read when the chart is written, after every connection.
   */
  protected servicePorts(): Readonly<Record<string, number>> {
    const defaults = this.defaultPorts ?? Object.keys(this.ports);
    return Object.fromEntries(Object.entries(this.ports).filter(([name, port]) => defaults.includes(name) || this.opened.has(port)));
  }

  /** Admits pods of another namespace (e.g. the ingress controller's) on `ports`, by name. */
  protected admitNamespace(namespace: string, ports: readonly string[]): void {
    this.ingress.push({ peers: [namespacePeer(namespace)], ports: ports.map((n) => this.clientPorts[n]!) });
  }

  /** Gives the component's containers more variables; a name set twice is an error. */
  protected abstract addEnv(env: Env, from: string): void;

  /** Labels for this component's objects and pods (the chart adds the stack-wide ones to objects only). */
  protected labels(version?: string): Record<string, string> {
    return { ...componentLabels(this.name, this.kind, version), ...this.selector };
  }

  private policySpec() {
    return {
      podSelector: { matchLabels: { ...this.selector } },
      policyTypes: ["Ingress", "Egress"],
      ...(this.ingress.length ? { ingress: policyRules(this.ingress, "from") } : {}),
      ...(this.egress.length ? { egress: policyRules(this.egress, "to") } : {}),
    };
  }
}

/** A ServiceAccount that mounts no token: workloads that do not call the Kubernetes API get none. */
export function serviceAccount(scope: Construct, name: string, labels: Record<string, string>): k8s.KubeServiceAccount {
  return new k8s.KubeServiceAccount(scope, "service-account", {
    metadata: { name, labels },
    automountServiceAccountToken: false,
  });
}
