import type { Rule, Violation } from "../types";
import { containers, label, podSpec } from "../lib/pods";
import { at, describe, field } from "../lib/values";

const TYPES = new Set(["RuntimeDefault", "Localhost"]);
const ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

export const apparmorProfile: Rule = {
  id: "apparmor-profile",
  severity: "error",
  title: "AppArmor is never switched off (RuntimeDefault or Localhost only)",
  rationale: "An Unconfined AppArmor profile removes the mandatory access control the runtime applies to every container.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
  check(object) {
    const pod = podSpec(object);
    if (!pod) return [];
    const out: Violation[] = [];
    const podType = at(pod.spec, "securityContext", "appArmorProfile", "type");
    if (podType !== undefined && !TYPES.has(podType as string)) {
      out.push({ field: field(pod.path, "securityContext", "appArmorProfile", "type"), message: `expected RuntimeDefault or Localhost, got ${describe(podType)}` });
    }
    for (const c of containers(pod)) {
      const type = at(c.container, "securityContext", "appArmorProfile", "type");
      if (type !== undefined && !TYPES.has(type as string)) {
        out.push({ field: field(c.path, "securityContext", "appArmorProfile", "type"), message: `${label(c)}: expected RuntimeDefault or Localhost, got ${describe(type)}` });
      }
    }
    for (const [key, value] of Object.entries(pod.annotations)) {
      if (key.startsWith(ANNOTATION_PREFIX) && value !== "runtime/default" && !value.startsWith("localhost/")) {
        out.push({ field: field(pod.metadataPath, "annotations", key), message: `expected runtime/default or localhost/<profile>, got ${describe(value)}` });
      }
    }
    return out;
  },
};
