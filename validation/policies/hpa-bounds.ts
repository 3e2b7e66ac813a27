import type { Rule } from "../types";
import { at } from "../lib/values";

export const hpaBounds: Rule = {
  id: "hpa-bounds",
  severity: "warning",
  title: "An HorizontalPodAutoscaler's maxReplicas is above its minReplicas",
  rationale: "With max equal to min the autoscaler can never scale: it is a fixed replica count that looks elastic.",
  link: "https://polaris.docs.fairwinds.com/checks/reliability/",
  check(object) {
    if (object.kind !== "HorizontalPodAutoscaler") return [];
    const minValue = at(object, "spec", "minReplicas");
    const min = typeof minValue === "number" ? minValue : 1;
    const max = at(object, "spec", "maxReplicas");
    if (typeof max !== "number" || max > min) return [];
    return [{ field: "spec.maxReplicas", message: `expected more than minReplicas (${min}), got ${max}: the autoscaler can never scale` }];
  },
};
