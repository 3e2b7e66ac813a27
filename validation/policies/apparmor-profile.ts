import { defineRule } from "../lib/rule";
import { CONFINED, expectSecurity, type SecurityOwner } from "../lib/pods";
import { describe, field } from "../lib/values";

const ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

const confined = (owner: SecurityOwner) =>
  expectSecurity(owner, ["appArmorProfile", "type"], (type) => type === undefined || CONFINED.has(type), "expected RuntimeDefault or Localhost");

export const apparmorProfile = defineRule({
  id: "apparmor-profile",
  waivable: false,
  title: "AppArmor is never switched off (RuntimeDefault or Localhost only)",
  pod: (pod) => [
    confined(pod),
    ...Object.entries(pod.annotations)
      .filter(([key, value]) => key.startsWith(ANNOTATION_PREFIX) && value !== "runtime/default" && !value.startsWith("localhost/"))
      .map(([key, value]) => ({ field: field(pod.metadataPath, "annotations", key), message: `expected runtime/default or localhost/<profile>, got ${describe(value)}` })),
  ],
  container: confined,
  rationale: "An Unconfined AppArmor profile removes the mandatory access control the runtime applies to every container.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
});
