import { defineRule } from "../lib/rule";
import { label } from "../lib/pods";
import { at, field, list, text } from "../lib/values";

export const noDuplicateEnv = defineRule({
  id: "no-duplicate-env",
  title: "No environment variable is set twice in a container",
  container(c) {
    const first = new Map<string, number>();
    return list(c.container.env).map((env, i) => {
      const name = text(at(env, "name"));
      const earlier = name === undefined ? undefined : first.get(name);
      if (name !== undefined && earlier === undefined) first.set(name, i);
      return earlier === undefined ? undefined : { field: field(c.path, "env", i, "name"), message: `${label(c)}: expected each variable once, got '${name}' again (first at env[${earlier}])` };
    });
  },
  rationale:
    "The last value silently wins, so the manifest says two things and the process sees one; " +
    "server-side apply also refuses to merge such lists.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=duplicate-env-var",
});
