import type { Rule } from "../types";
import { eachContainer, label } from "../lib/pods";
import { field, list, record } from "../lib/values";

export const noDuplicateEnv: Rule = {
  id: "no-duplicate-env",
  severity: "error",
  title: "No environment variable is set twice in a container",
  rationale:
    "The last value silently wins, so the manifest says two things and the process sees one; " +
    "server-side apply also refuses to merge such lists.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=duplicate-env-var",
  check(object) {
    return eachContainer(object, (c) => {
      const first = new Map<string, number>();
      return list(c.container.env).flatMap((raw, i) => {
        const name = record(raw)?.name;
        if (typeof name !== "string") return [];
        const earlier = first.get(name);
        if (earlier !== undefined) return [{ field: field(c.path, "env", i, "name"), message: `${label(c)}: expected each variable once, got '${name}' again (first at env[${earlier}])` }];
        first.set(name, i);
        return [];
      });
    });
  },
};
