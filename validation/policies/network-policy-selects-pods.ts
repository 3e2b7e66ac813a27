import type { Violation } from "../types";
import type { Scope } from "../lib/scope";
import { defineRule } from "../lib/rule";
import { formatLabelSelector, isEmptyLabelSelector, selectorKeys } from "../lib/selectors";
import { at } from "../lib/values";

/** cert-manager labels the pods it starts to answer ACME HTTP-01 challenges; they exist only while a certificate is issued. */
const ACME_SOLVER = "acme.cert-manager.io/http01-solver";

/** A pod selector that matches no workload of the scope (an empty one matches every pod; solver pods are not rendered). */
function selectsNone(selector: unknown, scope: Scope): Violation | undefined {
  if (isEmptyLabelSelector(selector) || selectorKeys(selector).includes(ACME_SOLVER) || scope.selectedBy(selector).length > 0) return undefined;
  return {
    field: "spec.podSelector",
    message: `expected to select the pods of a workload in ${scope.describeNamespace()}, got ${formatLabelSelector(selector)}, which selects none: the policy opens nothing it was written for`,
  };
}

export const networkPolicySelectsPods = defineRule({
  id: "network-policy-selects-pods",
  title: "Every NetworkPolicy selects the pods of a workload beside it",
  kinds: ["NetworkPolicy"],
  check: (policy, { scope }) => selectsNone(at(policy, "spec", "podSelector"), scope),
  rationale:
    "A policy whose selector matches no pod does nothing, so a typo in a label leaves the workload it was written for " +
    "cut off by the default deny (or open, without one), and nothing in the sync says so. An empty selector ({}) selects " +
    "every pod; policies for cert-manager's HTTP-01 solver pods (acme.cert-manager.io/http01-solver), which exist only " +
    "while a certificate is issued, are not judged.",
  link: "https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource",
});
