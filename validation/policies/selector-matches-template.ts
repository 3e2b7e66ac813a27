import type { Rule } from "../types";
import { podSpec } from "../lib/pods";
import { formatMap, matchesLabelSelector } from "../lib/selectors";
import { at, record } from "../lib/values";

const SELECTING = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"]);

export const selectorMatchesTemplate: Rule = {
  id: "selector-matches-template",
  severity: "error",
  title: "A workload's selector matches its own pod template",
  rationale:
    "The controller counts the pods its selector matches; if its own pods do not match, it creates pods forever " +
    "(the API server refuses the object at sync time).",
  link: "https://docs.kubelinter.io/#/generated/checks?id=mismatching-selector",
  check(object) {
    if (!SELECTING.has(object.kind)) return [];
    const pod = podSpec(object);
    const selector = at(object, "spec", "selector");
    if (!pod || !record(selector) || matchesLabelSelector(selector, pod.labels)) return [];
    return [{ field: "spec.selector", message: `expected a selector that matches the pod template's labels ${formatMap(pod.labels)}` }];
  },
};
