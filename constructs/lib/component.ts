/**
 * What every component of a stack has in common: a name, the labels that select its pods, the ports it
 * serves, and its own ServiceAccount. NetworkPolicies are drawn between components by these fields.
 */
import { Construct } from "constructs";
import { k8s } from "./k8s";
import { componentLabels, selectorLabels, type Role } from "./labels";

/** Something pods run as: a caller or a callee on the network. */
export interface Endpoint {
  /** Component name, also the name of its Service and ServiceAccount. */
  readonly name: string;
  /** Labels that select its pods. */
  readonly selector: Readonly<Record<string, string>>;
  /** Ports it serves, by name; empty for callers only (jobs). */
  readonly ports: Readonly<Record<string, number>>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export abstract class Component extends Construct implements Endpoint {
  readonly name: string;
  readonly selector: Readonly<Record<string, string>>;
  abstract readonly ports: Readonly<Record<string, number>>;

  /**
   * @param kind construct kind for messages, e.g. `Api`
   * @param id construct id; also the component name
   */
  protected constructor(
    scope: Construct,
    id: string,
    private readonly kind: string,
    readonly role: Role,
  ) {
    super(scope, id);
    if (!DNS_LABEL.test(id) || id.length > 50) {
      throw new Error(`${kind} '${id}': the id names Kubernetes objects, so it must be a DNS label of at most 50 characters`);
    }
    this.name = id;
    this.selector = selectorLabels(this, id);
  }

  /** `Api 'orders'`, for messages. */
  protected describe(): string {
    return `${this.kind} '${this.name}'`;
  }

  /** Labels for this component's objects and pods (the chart adds the stack-wide ones to objects only). */
  protected labels(version?: string): Record<string, string> {
    return { ...componentLabels(this.name, this.role, version), ...this.selector };
  }
}

/** A ServiceAccount that mounts no token: workloads that do not call the Kubernetes API get none. */
export function serviceAccount(scope: Construct, name: string, labels: Record<string, string>): k8s.KubeServiceAccount {
  return new k8s.KubeServiceAccount(scope, `service-account-${name}`, {
    metadata: { name, labels },
    automountServiceAccountToken: false,
  });
}
