import type { Rule } from "../types";
import { eachContainer, label } from "../lib/pods";
import { at, describe, field, list, record } from "../lib/values";

/** IANA_SVC_NAME, as the API server checks it for container port names and Service targetPorts. */
export function isPortName(name: string): boolean {
  return name.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name) && /[a-z]/.test(name) && !name.includes("--");
}

const EXPECTED = "expected an IANA service name (at most 15 lower-case letters, digits and single '-', with at least one letter)";

export const portNames: Rule = {
  id: "port-names",
  severity: "error",
  title: "Container port names and Service target port names are valid IANA service names",
  rationale:
    "The published schemas accept any string, but the API server refuses the object at sync time; " +
    "Services resolve named target ports by exact name.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=invalid-target-ports",
  check(object) {
    const out = eachContainer(object, (c) =>
      list(c.container.ports).flatMap((raw, i) => {
        const name = record(raw)?.name;
        return typeof name === "string" && !isPortName(name) ? [{ field: field(c.path, "ports", i, "name"), message: `${label(c)}: ${EXPECTED}, got ${describe(name)}` }] : [];
      }),
    );
    if (object.kind === "Service") {
      list(at(object, "spec", "ports")).forEach((raw, i) => {
        const target = record(raw)?.targetPort;
        if (typeof target === "string" && !isPortName(target)) out.push({ field: field("spec", "ports", i, "targetPort"), message: `${EXPECTED}, got ${describe(target)}` });
      });
    }
    return out;
  },
};
