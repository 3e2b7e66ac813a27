import type { Rule } from "../types";
import { podSpec } from "../lib/pods";
import { matchesLabelSelector } from "../lib/selectors";
import { at, field } from "../lib/values";

export const pdbRequired: Rule = {
  id: "pdb-required",
  severity: "error",
  title: "Stateless workloads have a PodDisruptionBudget where the environment requires high availability (prod)",
  rationale:
    "Without a PDB a node drain may evict every replica at once; the budget makes voluntary disruptions (upgrades, " +
    "autoscaler scale-downs) wait until enough pods are ready elsewhere.",
  link: "https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
  check(object, { profile, scope }) {
    if (!profile.highAvailability || object.kind !== "Deployment") return [];
    const pod = podSpec(object);
    if (!pod) return [];
    if (scope.ofKind("PodDisruptionBudget").some((p) => matchesLabelSelector(at(p, "spec", "selector"), pod.labels))) return [];
    return [{ field: field(pod.metadataPath, "labels"), message: `expected a PodDisruptionBudget in ${scope.describeNamespace()} selecting these pods, found none` }];
  },
};
