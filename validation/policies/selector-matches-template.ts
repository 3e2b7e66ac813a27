import { defineRule } from "../lib/rule";
import { formatMap, matchesLabelSelector } from "../lib/selectors";
import { at, record } from "../lib/values";

export const selectorMatchesTemplate = defineRule({
  id: "selector-matches-template",
  title: "A workload's selector matches its own pod template",
  kinds: ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"],
  pod(pod, _context, object) {
    const selector = at(object, "spec", "selector");
    if (!record(selector) || matchesLabelSelector(selector, pod.labels)) return undefined;
    return { field: "spec.selector", message: `expected a selector that matches the pod template's labels ${formatMap(pod.labels)}` };
  },
  rationale:
    "The controller counts the pods its selector matches; if its own pods do not match, it creates pods forever " +
    "(the API server refuses the object at sync time).",
  link: "https://docs.kubelinter.io/#/generated/checks?id=mismatching-selector",
});
