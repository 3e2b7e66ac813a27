import { defineRule } from "../lib/rule";
import { label } from "../lib/pods";
import { field, record, records } from "../lib/values";

/**
 * Names that say "credential": passwords (`*PASSWORD*`, `*_PASSWD`, `*_PASS`, `*_PWD`, `*_PW`), passphrases, secrets,
 * tokens, credentials, API/access/private keys, or anything ending in KEY.
 */
const CREDENTIAL = /PASSW(OR)?D|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|(^|[_.-])(KEY|PASS)$|[_.-]PWD?$/i;
/** A last word that makes the value a setting about the credential (where it is, how long it lives), not the credential. */
const ABOUT_A_CREDENTIAL = /[_.-](FILE|PATH|DIR|NAME|LENGTH|TTL|TIMEOUT|EXPIRY|LIFETIME|HEADER)$/i;

export function isCredentialName(name: string): boolean {
  return CREDENTIAL.test(name) && !ABOUT_A_CREDENTIAL.test(name);
}

export const noPlaintextCredentials = defineRule({
  id: "no-plaintext-credentials",
  waivable: false,
  title: "Credential-named env vars and ConfigMap keys never hold literal values",
  container: (c) =>
    records(c.container, c.path, "env").map(({ value: { name, value }, path }) =>
      typeof name === "string" && isCredentialName(name) && typeof value === "string" && value !== ""
        ? { field: field(path, "value"), message: `${label(c)}: expected '${name}' from a Secret (valueFrom.secretKeyRef), got a literal value` }
        : undefined,
    ),
  check: (object) =>
    object.kind !== "ConfigMap"
      ? undefined
      : ["data", "binaryData"].flatMap((key) =>
          Object.keys(record(object[key]) ?? {})
            .filter(isCredentialName)
            .map((name) => ({ field: field(key, name), message: `expected no credential in a ConfigMap, got key '${name}'; keep it in a Secret produced by an ExternalSecret` })),
        ),
  rationale:
    "An env var called DB_PASSWORD with a literal value, or a ConfigMap key called api-token, is a credential in Git " +
    "whatever its value looks like. Reference a Secret (valueFrom.secretKeyRef) produced by an ExternalSecret.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=env-var-secret",
});
