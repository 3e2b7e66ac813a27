import { defineRule } from "../lib/rule";
import { deniesAll } from "../lib/network";

export const defaultDenyNetworkPolicy = defineRule({
  id: "default-deny-network-policy",
  title: "Every namespace that runs pods has a default-deny NetworkPolicy for ingress and egress",
  pod(_pod, { scope }) {
    const policies = scope.ofKind("NetworkPolicy");
    return [
      policies.some((p) => deniesAll(p, "Ingress"))
        ? undefined
        : { field: "metadata.namespace", message: `expected a NetworkPolicy in ${scope.describeNamespace()} denying all ingress (podSelector: {}, policyTypes: [Ingress], no ingress rules), found none` },
      policies.some((p) => deniesAll(p, "Egress"))
        ? undefined
        : { field: "metadata.namespace", message: `expected a NetworkPolicy in ${scope.describeNamespace()} denying all egress but DNS (podSelector: {}, policyTypes: [Egress], egress rules on port 53 only), found none` },
    ];
  },
  rationale:
    "Kubernetes lets every pod talk to every pod by default, so one compromised workload reaches all the others. " +
    "A policy selecting all pods (podSelector: {}) with no ingress rules and no egress rules other than DNS (port 53) " +
    "turns that into deny-by-default; each workload's own policies then declare its edges. Judged on every object " +
    "that runs pods.",
  link: "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies",
});
