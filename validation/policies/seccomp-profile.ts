import { defineRule } from "../lib/rule";
import { CONFINED, expectSecurity, security } from "../lib/pods";

export const seccompProfile = defineRule({
  id: "seccomp-profile",
  waivable: false,
  title: "Every container runs under the RuntimeDefault (or a Localhost) seccomp profile",
  pod: (pod) => expectSecurity(pod, ["seccompProfile", "type"], (type) => type === undefined || CONFINED.has(type), "expected RuntimeDefault or Localhost"),
  container: (c, pod) =>
    expectSecurity(
      c,
      ["seccompProfile", "type"],
      (type) => (type === undefined ? security(pod, "seccompProfile", "type") !== undefined : CONFINED.has(type)),
      "expected RuntimeDefault or Localhost (here or on the pod)",
    ),
  rationale:
    "Seccomp filters the system calls a container may make; without a profile, containers get the full kernel " +
    "surface, including calls used by most container escapes. Kubernetes does not apply one by default.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
});
