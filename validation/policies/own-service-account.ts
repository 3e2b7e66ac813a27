import type { Rule, Violation } from "../types";
import { podSpec } from "../lib/pods";
import { describe, field } from "../lib/values";

export const ownServiceAccount: Rule = {
  id: "own-service-account",
  severity: "error",
  title: "Every workload runs under its own ServiceAccount, defined beside it",
  rationale:
    "The namespace's default account is shared by everything that forgets to name one, so any RBAC granted to it " +
    "leaks to every such pod. A named account that does not exist stops the pod from being created.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=non-existent-service-account",
  check(object, { scope }) {
    const pod = podSpec(object);
    if (!pod) return [];
    const out: Violation[] = [];
    const deprecated = pod.spec.serviceAccount;
    if (deprecated !== undefined) {
      out.push({ field: field(pod.path, "serviceAccount"), message: `expected serviceAccountName (serviceAccount is deprecated), got ${describe(deprecated)}` });
    }
    const name = pod.spec.serviceAccountName;
    const at = field(pod.path, "serviceAccountName");
    if (typeof name !== "string" || name === "" || name === "default") {
      out.push({ field: at, message: `expected a ServiceAccount of the workload's own, got ${describe(name)} (the namespace's default account)` });
    } else if (!scope.named("ServiceAccount", name)) {
      out.push({ field: at, message: `expected ServiceAccount '${name}' in ${scope.describeNamespace()}, found none` });
    }
    return out;
  },
};
