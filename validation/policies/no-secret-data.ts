import type { Rule, Violation } from "../types";
import { record } from "../lib/values";

export const noSecretData: Rule = {
  id: "no-secret-data",
  severity: "error",
  title: "No Secret with data or stringData is rendered",
  rationale:
    "Rendered YAML is committed to Git, where base64 is not encryption and history is forever. Secrets come from the " +
    "secret store through an ExternalSecret, which renders only a reference.",
  link: "https://external-secrets.io/latest/introduction/overview/",
  check(object) {
    if (object.kind !== "Secret") return [];
    const out: Violation[] = [];
    for (const key of ["data", "stringData"]) {
      const keys = Object.keys(record(object[key]) ?? {});
      if (keys.length) out.push({ field: key, message: `expected no ${key} in a rendered Secret, got ${keys.length} key(s) (${keys.join(", ")}); produce it with an ExternalSecret` });
    }
    return out;
  },
};
