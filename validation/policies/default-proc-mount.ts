import { defineRule } from "../lib/rule";
import { expectSecurity } from "../lib/pods";

export const defaultProcMount = defineRule({
  id: "default-proc-mount",
  waivable: false,
  title: "Containers keep the default (masked) /proc mount",
  container: (c) => expectSecurity(c, ["procMount"], (mount) => mount === undefined || mount === "Default", "expected Default or unset"),
  rationale: "An Unmasked /proc exposes kernel interfaces the runtime normally hides, a known route out of the container.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
});
