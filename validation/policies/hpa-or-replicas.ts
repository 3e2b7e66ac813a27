import { defineRule } from "../lib/rule";
import { at, describe, kindName } from "../lib/values";

export const hpaOrReplicas = defineRule({
  id: "hpa-or-replicas",
  title: "A workload scaled by a HorizontalPodAutoscaler does not also set replicas",
  check(object, { scope }) {
    const replicas = at(object, "spec", "replicas");
    const hpa = replicas === undefined ? undefined : scope.autoscalerOf(object);
    return hpa && { field: "spec.replicas", message: `expected no replicas while ${kindName(hpa)} scales this ${object.kind}, got ${describe(replicas)}` };
  },
  rationale:
    "Argo CD resets replicas to the manifest on every sync while the HPA sets its own count: the two fight, " +
    "and each sync scales the workload down in the middle of a load peak.",
  link: "https://argo-cd.readthedocs.io/en/stable/user-guide/best_practices/#leaving-room-for-imperativeness",
});
