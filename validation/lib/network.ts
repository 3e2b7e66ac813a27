/**
 * NetworkPolicy semantics, as the Kubernetes network model defines them: which pods a policy selects,
 * which directions it isolates, and what its rules let through.
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import type { KubeObject } from "../../lib/kube-object";
import type { ContainerPort } from "./pods";
import type { Scope } from "./scope";
import { isEmptyLabelSelector } from "./selectors";
import { at, list, record, text } from "./values";

export type Direction = "Ingress" | "Egress";

/** Policy types a NetworkPolicy restricts; without the field, Ingress always and Egress when it has egress rules. */
export function policyTypes(policy: KubeObject): string[] {
  const declared = list(at(policy, "spec", "policyTypes")).filter((t): t is string => typeof t === "string");
  if (declared.length) return declared;
  return list(at(policy, "spec", "egress")).length ? ["Ingress", "Egress"] : ["Ingress"];
}

/** A rule that only opens DNS (every port 53): the one egress a default-deny policy may allow. */
export function isDnsOnly(rule: unknown): boolean {
  const ports = list(record(rule)?.ports);
  return ports.length > 0 && ports.every((p) => record(p)?.port === 53);
}

/** A policy for every pod of the namespace (`podSelector: {}`) that denies `direction` (but DNS, for egress). */
export function deniesAll(policy: KubeObject, direction: Direction): boolean {
  if (!isEmptyLabelSelector(at(policy, "spec", "podSelector")) || !policyTypes(policy).includes(direction)) return false;
  const rules = list(at(policy, "spec", direction === "Ingress" ? "ingress" : "egress"));
  return direction === "Ingress" ? rules.length === 0 : rules.every(isDnsOnly);
}

/** Whether one rule's `ports` let traffic to `port` through (no `ports`: every port). */
export function rulePortsAdmit(rule: unknown, port: ContainerPort): boolean {
  const ports = list(record(rule)?.ports);
  if (ports.length === 0) return true;
  return ports.some((raw) => {
    const p = record(raw);
    if (!p || (text(p.protocol) ?? "TCP") !== port.protocol) return false;
    const { port: start, endPort } = p;
    if (start === undefined) return true;
    if (typeof start === "string") return start === port.name;
    if (typeof start !== "number" || port.number === undefined) return false;
    return port.number >= start && port.number <= (typeof endPort === "number" ? endPort : start);
  });
}

const isolating = new WeakMap<Scope, Map<KubeObject, KubeObject[]>>();

/** The policies that isolate a workload's pods for ingress (select them, with Ingress among their types), indexed once per scope. */
export function ingressPoliciesOf(scope: Scope, workload: KubeObject): readonly KubeObject[] {
  let byWorkload = isolating.get(scope);
  if (!byWorkload) {
    byWorkload = new Map();
    for (const policy of scope.ofKind("NetworkPolicy")) {
      if (!policyTypes(policy).includes("Ingress")) continue;
      for (const selected of scope.selectedBy(at(policy, "spec", "podSelector"))) byWorkload.set(selected, [...(byWorkload.get(selected) ?? []), policy]);
    }
    isolating.set(scope, byWorkload);
  }
  return byWorkload.get(workload) ?? [];
}
