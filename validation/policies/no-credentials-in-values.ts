import type { Rule } from "../types";

export const noCredentialsInValues: Rule = {
  id: "no-credentials-in-values",
  severity: "error",
  title: "No value anywhere looks like a credential (secretlint's recommended rules)",
  rationale:
    "Tokens, cloud keys, private keys and connection strings with passwords end up in manifests through copied " +
    "examples, Helm values or annotations; once committed they must be rotated. Scanned with secretlint's " +
    "recommended preset plus JSON Web Token and AWS access key ID patterns, over every string of every object.",
  link: "https://github.com/secretlint/secretlint/tree/master/packages/%40secretlint/secretlint-rule-preset-recommend",
  check(_object, { credentials }) {
    return credentials;
  },
};
