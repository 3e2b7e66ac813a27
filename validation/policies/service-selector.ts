import { defineRule } from "../lib/rule";
import { formatMap } from "../lib/selectors";
import { at, stringMap } from "../lib/values";

export const serviceSelector = defineRule({
  id: "service-selector",
  title: "Every Service's selector matches the pods of a workload beside it",
  kinds: ["Service"],
  check(service, { scope }) {
    if (at(service, "spec", "type") === "ExternalName") return undefined;
    const selector = stringMap(at(service, "spec", "selector"));
    if (Object.keys(selector).length === 0 || scope.selectedByMap(selector).length > 0) return undefined;
    return { field: "spec.selector", message: `expected to match the pods of a workload in ${scope.describeNamespace()}, got ${formatMap(selector)}, which matches none` };
  },
  rationale:
    "A selector that matches nothing gives the Service no endpoints: every request fails, and nothing in the sync " +
    "says so. (Services without a selector, with manual endpoints, are not judged.)",
  link: "https://docs.kubelinter.io/#/generated/checks?id=dangling-service",
});
