import type { KubeObject } from "../../lib/kube-object";
import type { Rule, Violation } from "../types";
import { isEmptyLabelSelector } from "../lib/selectors";
import { at, list, record } from "../lib/values";

/** Policy types a NetworkPolicy restricts; without the field, Ingress always and Egress when it has egress rules. */
function policyTypes(policy: KubeObject): string[] {
  const declared = list(at(policy, "spec", "policyTypes")).filter((t): t is string => typeof t === "string");
  if (declared.length) return declared;
  return list(at(policy, "spec", "egress")).length ? ["Ingress", "Egress"] : ["Ingress"];
}

/** A rule that only opens DNS (every port 53): the one egress a default-deny policy may allow. */
export function isDnsOnly(rule: unknown): boolean {
  const ports = list(record(rule)?.ports);
  return ports.length > 0 && ports.every((p) => record(p)?.port === 53);
}

function deniesIngress(policy: KubeObject): boolean {
  return isEmptyLabelSelector(at(policy, "spec", "podSelector")) && policyTypes(policy).includes("Ingress") && list(at(policy, "spec", "ingress")).length === 0;
}

function deniesEgress(policy: KubeObject): boolean {
  return isEmptyLabelSelector(at(policy, "spec", "podSelector")) && policyTypes(policy).includes("Egress") && list(at(policy, "spec", "egress")).every(isDnsOnly);
}

export const defaultDenyNetworkPolicy: Rule = {
  id: "default-deny-network-policy",
  severity: "error",
  title: "Every namespace that runs pods has a default-deny NetworkPolicy for ingress and egress",
  rationale:
    "Kubernetes lets every pod talk to every pod by default, so one compromised workload reaches all the others. " +
    "A policy selecting all pods (podSelector: {}) with no ingress rules and no egress rules other than DNS (port 53) " +
    "turns that into deny-by-default; each workload's own policies then declare its edges. Judged on every object " +
    "that runs pods.",
  link: "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies",
  check(object, { scope }) {
    if (!scope.runsPods(object)) return [];
    const policies = scope.ofKind("NetworkPolicy");
    const out: Violation[] = [];
    if (!policies.some(deniesIngress)) {
      out.push({ field: "metadata.namespace", message: `expected a NetworkPolicy in ${scope.describeNamespace()} denying all ingress (podSelector: {}, policyTypes: [Ingress], no ingress rules), found none` });
    }
    if (!policies.some(deniesEgress)) {
      out.push({ field: "metadata.namespace", message: `expected a NetworkPolicy in ${scope.describeNamespace()} denying all egress but DNS (podSelector: {}, policyTypes: [Egress], egress rules on port 53 only), found none` });
    }
    return out;
  },
};
