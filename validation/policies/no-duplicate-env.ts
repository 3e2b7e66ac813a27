import type { Rule, Violation } from "../types";
import { containers, label, podSpec } from "../lib/pods";
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
    const pod = podSpec(object);
    if (!pod) return [];
    const out: Violation[] = [];
    for (const c of containers(pod)) {
      const first = new Map<string, number>();
      list(c.container.env).forEach((raw, i) => {
        const name = record(raw)?.name;
        if (typeof name !== "string") return;
        const earlier = first.get(name);
        if (earlier === undefined) first.set(name, i);
        else out.push({ field: field(c.path, "env", i, "name"), message: `${label(c)}: expected each variable once, got '${name}' again (first at env[${earlier}])` });
      });
    }
    return out;
  },
};
