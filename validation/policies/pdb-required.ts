import { defineRule } from "../lib/rule";
import { matchesLabelSelector } from "../lib/selectors";
import { at, field } from "../lib/values";

export const pdbRequired = defineRule({
  id: "pdb-required",
  title: "Stateless workloads have a PodDisruptionBudget where the environment requires high availability (prod)",
  kinds: ["Deployment"],
  pod(pod, { profile, scope }) {
    if (!profile.highAvailability || scope.ofKind("PodDisruptionBudget").some((p) => matchesLabelSelector(at(p, "spec", "selector"), pod.labels))) return undefined;
    return { field: field(pod.metadataPath, "labels"), message: `expected a PodDisruptionBudget in ${scope.describeNamespace()} selecting these pods, found none` };
  },
  rationale:
    "Without a PDB a node drain may evict every replica at once; the budget makes voluntary disruptions (upgrades, " +
    "autoscaler scale-downs) wait until enough pods are ready elsewhere.",
  link: "https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
});
