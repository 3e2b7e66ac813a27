import { defineRule } from "../lib/rule";
import { record } from "../lib/values";

export const noSecretData = defineRule({
  id: "no-secret-data",
  waivable: false,
  title: "No Secret with data or stringData is rendered",
  kinds: ["Secret"],
  check: (secret) =>
    ["data", "stringData"].map((key) => {
      const keys = Object.keys(record(secret[key]) ?? {});
      return keys.length ? { field: key, message: `expected no ${key} in a rendered Secret, got ${keys.length} key(s) (${keys.join(", ")}); produce it with an ExternalSecret` } : undefined;
    }),
  rationale:
    "Rendered YAML is committed to Git, where base64 is not encryption and history is forever. Secrets come from the " +
    "secret store through an ExternalSecret, which renders only a reference.",
  link: "https://external-secrets.io/latest/introduction/overview/",
});
