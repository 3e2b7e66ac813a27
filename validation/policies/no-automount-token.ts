import { defineRule } from "../lib/rule";
import { serviceAccountName } from "../lib/pods";
import { at, describe, field } from "../lib/values";

export const noAutomountToken = defineRule({
  id: "no-automount-token",
  title: "Pods do not mount a Kubernetes API token unless they need one",
  pod(pod, { scope }) {
    const own = pod.spec.automountServiceAccountToken;
    const account = serviceAccountName(pod);
    const effective = own ?? at(scope.named("ServiceAccount", account), "automountServiceAccountToken");
    if (effective === false) return undefined;
    return { field: field(pod.path, "automountServiceAccountToken"), message: `expected false (here or on ServiceAccount '${account}'), got ${describe(own)}` };
  },
  rationale:
    "Applications rarely call the Kubernetes API; a mounted token is a credential an attacker finds at a well-known " +
    "path. Workloads that need it say so with an exception.",
  link: "https://polaris.docs.fairwinds.com/checks/security/",
});
