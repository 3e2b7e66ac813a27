import type { Rule } from "../types";
import { eachContainer, label } from "../lib/pods";
import { field, list, record } from "../lib/values";

/** Names that say "credential": passwords, secrets, tokens, API/private/access keys, or anything ending in KEY. */
export const CREDENTIAL_NAME = /(PASSW(OR)?D|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|(^|[_.-])KEY$)/i;

export const noPlaintextCredentials: Rule = {
  id: "no-plaintext-credentials",
  severity: "error",
  title: "Credential-named env vars and ConfigMap keys never hold literal values",
  rationale:
    "An env var called DB_PASSWORD with a literal value, or a ConfigMap key called api-token, is a credential in Git " +
    "whatever its value looks like. Reference a Secret (valueFrom.secretKeyRef) produced by an ExternalSecret.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=env-var-secret",
  check(object) {
    const out = eachContainer(object, (c) =>
      list(c.container.env).flatMap((raw, i) => {
        const env = record(raw);
        if (!env || typeof env.name !== "string" || !CREDENTIAL_NAME.test(env.name)) return [];
        return typeof env.value === "string" && env.value !== ""
          ? [{ field: field(c.path, "env", i, "value"), message: `${label(c)}: expected '${env.name}' from a Secret (valueFrom.secretKeyRef), got a literal value` }]
          : [];
      }),
    );
    if (object.kind === "ConfigMap") {
      for (const key of ["data", "binaryData"]) {
        for (const name of Object.keys(record(object[key]) ?? {})) {
          if (CREDENTIAL_NAME.test(name)) out.push({ field: field(key, name), message: `expected no credential in a ConfigMap, got key '${name}'; keep it in a Secret produced by an ExternalSecret` });
        }
      }
    }
    return out;
  },
};
