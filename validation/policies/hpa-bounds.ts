import { defineRule } from "../lib/rule";
import { at } from "../lib/values";

export const hpaBounds = defineRule({
  id: "hpa-bounds",
  severity: "warning",
  title: "An HorizontalPodAutoscaler's maxReplicas is above its minReplicas",
  kinds: ["HorizontalPodAutoscaler"],
  check(hpa) {
    const minValue = at(hpa, "spec", "minReplicas");
    const min = typeof minValue === "number" ? minValue : 1;
    const max = at(hpa, "spec", "maxReplicas");
    if (typeof max !== "number" || max > min) return undefined;
    return { field: "spec.maxReplicas", message: `expected more than minReplicas (${min}), got ${max}: the autoscaler can never scale` };
  },
  rationale: "With max equal to min the autoscaler can never scale: it is a fixed replica count that looks elastic.",
  link: "https://polaris.docs.fairwinds.com/checks/reliability/",
});
