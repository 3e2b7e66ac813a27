import { defineRule } from "../lib/rule";
import { expectSecurity } from "../lib/pods";

export const noPrivilegeEscalation = defineRule({
  id: "no-privilege-escalation",
  waivable: false,
  title: "Every container sets allowPrivilegeEscalation: false",
  container: (c) => expectSecurity(c, ["allowPrivilegeEscalation"], (value) => value === false, "expected false"),
  rationale:
    "Without it a setuid binary or file capability in the image can gain more privileges than the process started with " +
    "(no_new_privs is off). The default is true, so it must be set explicitly.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
});
