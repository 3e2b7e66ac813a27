import { defineRule } from "../lib/rule";

export const noCredentialsInValues = defineRule({
  id: "no-credentials-in-values",
  waivable: false,
  title: "No value anywhere looks like a credential (secretlint's recommended rules)",
  check: (_object, { credentials }) => credentials,
  rationale:
    "Tokens, cloud keys, private keys and connection strings with passwords end up in manifests through copied " +
    "examples, Helm values or annotations; once committed they must be rotated. Scanned with secretlint's " +
    "recommended preset plus JSON Web Token and AWS access key ID patterns, over every string of every object.",
  link: "https://github.com/secretlint/secretlint/tree/master/packages/%40secretlint/secretlint-rule-preset-recommend",
});
