/**
 * Something a component calls outside the stack: an SMTP relay, a federation peer, a payment API, or a
 * service in another namespace of the cluster. Connecting to it opens egress to exactly its addresses and
 * ports, and can give the caller its address as variables.
 *
 * NetworkPolicies match addresses, not names: a host name outside the cluster is reached through the
 * networks (CIDRs) it resolves to, which its owner publishes (or which a proxy or NAT gateway fronts).
 */
import { PropsError } from "../lib/errors";
import { Construct } from "constructs";
import { DNS_LABEL, matches } from "../lib/formats";
import type { Component, Connectable } from "./lib/component";
import { envPrefixOf, type Env } from "./lib/env";
import { checkCidr, namespacePeer, type NetworkPeer, type NetworkPort } from "./lib/network";

export interface ExternalServiceProps {
  /** Ports it is called on, by name, e.g. `{ smtp: 587 }`; UDP ports as `{ port: 514, protocol: "UDP" }`. */
  readonly ports: Readonly<Record<string, number | NetworkPort>>;
  /**
   * Networks it lives in (IPv4 or IPv6 CIDRs), e.g. `["192.0.2.10/32", "2001:db8::/48"]`.
   * @default - none: give `namespace` instead
   */
  readonly cidrs?: readonly string[];
  /**
   * A namespace of this cluster it runs in, with the labels of its pods.
   * @default - none: give `cidrs` instead
   */
  readonly namespace?: { readonly name: string; readonly podLabels?: Readonly<Record<string, string>> };
  /**
   * The host name callers use, given to them as `<PREFIX>_HOST` (and `<PREFIX>_PORT` when it has one port).
   * @default - no variables
   */
  readonly host?: string;
}

export class ExternalService extends Construct implements Connectable {
  readonly description: string;
  readonly peers: readonly NetworkPeer[];
  readonly clientPorts: Readonly<Record<string, NetworkPort>>;
  readonly envPrefix?: string;
  private readonly host?: string;

  constructor(scope: Construct, id: string, props: ExternalServiceProps) {
    super(scope, id);
    this.description = `ExternalService '${id}'`;
    const me = this.description;
    if (!matches(DNS_LABEL, id)) throw new PropsError(`${me}: the id must be ${DNS_LABEL.expected}`);
    const cidrs = props.cidrs ?? [];
    if ((cidrs.length > 0) === (props.namespace !== undefined)) {
      throw new PropsError(`${me}: give either 'cidrs' (addresses outside the cluster) or 'namespace' (a namespace of this cluster), not ${cidrs.length ? "both" : "neither"}`);
    }
    for (const cidr of cidrs) checkCidr(me, cidr);
    if (props.namespace && !matches(DNS_LABEL, props.namespace.name)) throw new PropsError(`${me}: 'namespace.name' must be ${DNS_LABEL.expected}`);
    this.clientPorts = Object.fromEntries(
      Object.entries(props.ports).map(([name, p]) => {
        const port = typeof p === "number" ? { port: p, protocol: "TCP" as const } : p;
        if (!Number.isInteger(port.port) || port.port < 1 || port.port > 65535) throw new PropsError(`${me}: port '${name}' must be between 1 and 65535 (got ${port.port})`);
        return [name, port];
      }),
    );
    if (Object.keys(this.clientPorts).length === 0) throw new PropsError(`${me}: 'ports' is empty; list the ports it is called on`);
    this.peers = props.namespace
      ? [namespacePeer(props.namespace.name, props.namespace.podLabels)]
      : cidrs.map((cidr) => ({ ipBlock: { cidr } }));
    if (props.host !== undefined) {
      this.host = props.host;
      this.envPrefix = envPrefixOf(id);
    }
  }

  /** Nothing to record: its own policies, if any, are not ours. */
  admit(_caller: Component, _ports: readonly NetworkPort[]): void {}

  connectionEnv(prefix: string): Env {
    const ports = Object.values(this.clientPorts);
    return {
      [`${prefix}_HOST`]: this.host!,
      ...(ports.length === 1 ? { [`${prefix}_PORT`]: String(ports[0]!.port) } : {}),
    };
  }
}
