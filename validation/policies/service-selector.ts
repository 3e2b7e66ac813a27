import type { Rule } from "../types";
import { formatMap } from "../lib/selectors";
import { at, stringMap } from "../lib/values";

export const serviceSelector: Rule = {
  id: "service-selector",
  severity: "error",
  title: "Every Service's selector matches the pods of a workload beside it",
  rationale:
    "A selector that matches nothing gives the Service no endpoints: every request fails, and nothing in the sync " +
    "says so. (Services without a selector, with manual endpoints, are not judged.)",
  link: "https://docs.kubelinter.io/#/generated/checks?id=dangling-service",
  check(object, { scope }) {
    if (object.kind !== "Service" || at(object, "spec", "type") === "ExternalName") return [];
    const selector = stringMap(at(object, "spec", "selector"));
    if (Object.keys(selector).length === 0) return [];
    if (scope.selectedByMap(selector).length > 0) return [];
    return [{ field: "spec.selector", message: `expected to match the pods of a workload in ${scope.describeNamespace()}, got ${formatMap(selector)}, which matches none` }];
  },
};
