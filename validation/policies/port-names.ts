import { matches, PORT_NAME } from "../../lib/formats";
import { defineRule } from "../lib/rule";
import { label } from "../lib/pods";
import { describe, field, records } from "../lib/values";

const invalid = (name: unknown) => typeof name === "string" && !matches(PORT_NAME, name);

export const portNames = defineRule({
  id: "port-names",
  title: "Container port names and Service target port names are valid IANA service names",
  container: (c) =>
    records(c.container, c.path, "ports").map(({ value: { name }, path }) =>
      invalid(name) ? { field: field(path, "name"), message: `${label(c)}: expected ${PORT_NAME.expected}, got ${describe(name)}` } : undefined,
    ),
  check: (object) =>
    object.kind !== "Service"
      ? undefined
      : records(object.spec, "spec", "ports").map(({ value: { targetPort }, path }) =>
          invalid(targetPort) ? { field: field(path, "targetPort"), message: `expected ${PORT_NAME.expected}, got ${describe(targetPort)}` } : undefined,
        ),
  rationale:
    "The published schemas accept any string, but the API server refuses the object at sync time; " +
    "Services resolve named target ports by exact name.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=invalid-target-ports",
});
