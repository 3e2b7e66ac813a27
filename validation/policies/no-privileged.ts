import { defineRule } from "../lib/rule";
import { expectSecurity, type SecurityOwner } from "../lib/pods";

const notSet = (owner: SecurityOwner, ...keys: string[]) => expectSecurity(owner, keys, (value) => value !== true, "expected false or unset");

export const noPrivileged = defineRule({
  id: "no-privileged",
  waivable: false,
  title: "No privileged containers and no Windows host processes",
  pod: (pod) => notSet(pod, "windowsOptions", "hostProcess"),
  container: (c) => [notSet(c, "privileged"), notSet(c, "windowsOptions", "hostProcess")],
  rationale:
    "A privileged container (or a Windows HostProcess container) has every device and capability of the node: " +
    "it is the node, with none of the isolation the rest of this pack builds.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
});
