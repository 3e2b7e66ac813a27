import { defineRule } from "../lib/rule";
import { describe, field } from "../lib/values";

export const ownServiceAccount = defineRule({
  id: "own-service-account",
  title: "Every workload runs under its own ServiceAccount, defined beside it",
  pod(pod, { scope }) {
    const deprecated = pod.spec.serviceAccount;
    const name = pod.spec.serviceAccountName;
    const at = field(pod.path, "serviceAccountName");
    return [
      deprecated === undefined
        ? undefined
        : { field: field(pod.path, "serviceAccount"), message: `expected serviceAccountName (serviceAccount is deprecated), got ${describe(deprecated)}` },
      typeof name !== "string" || name === "" || name === "default"
        ? { field: at, message: `expected a ServiceAccount of the workload's own, got ${describe(name)} (the namespace's default account)` }
        : scope.named("ServiceAccount", name)
          ? undefined
          : { field: at, message: `expected ServiceAccount '${name}' in ${scope.describeNamespace()}, found none` },
    ];
  },
  rationale:
    "The namespace's default account is shared by everything that forgets to name one, so any RBAC granted to it " +
    "leaks to every such pod. A named account that does not exist stops the pod from being created.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=non-existent-service-account",
});
