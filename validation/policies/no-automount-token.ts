import type { Rule } from "../types";
import { podSpec } from "../lib/pods";
import { at, describe, field, text } from "../lib/values";

export const noAutomountToken: Rule = {
  id: "no-automount-token",
  severity: "error",
  title: "Pods do not mount a Kubernetes API token unless they need one",
  rationale:
    "Applications rarely call the Kubernetes API; a mounted token is a credential an attacker finds at a well-known " +
    "path. Workloads that need it say so with an exception.",
  link: "https://polaris.docs.fairwinds.com/checks/security/",
  check(object, { scope }) {
    const pod = podSpec(object);
    if (!pod) return [];
    const own = pod.spec.automountServiceAccountToken;
    const accountName = text(pod.spec.serviceAccountName) ?? "default";
    const account = scope.named("ServiceAccount", accountName);
    const effective = own !== undefined ? own : account ? at(account, "automountServiceAccountToken") : undefined;
    if (effective === false) return [];
    return [
      {
        field: field(pod.path, "automountServiceAccountToken"),
        message: `expected false (here or on ServiceAccount '${accountName}'), got ${describe(own)}`,
      },
    ];
  },
};
