import { defineRule } from "../lib/rule";
import { at, describe } from "../lib/values";

export const noServiceAccountTokenSecrets = defineRule({
  id: "no-service-account-token-secrets",
  waivable: false,
  title: "No Secret of type kubernetes.io/service-account-token (a long-lived API token)",
  kinds: ["Secret"],
  check: (secret) =>
    at(secret, "type") === "kubernetes.io/service-account-token"
      ? {
          field: "type",
          message: `expected no long-lived token for ServiceAccount ${describe(at(secret, "metadata", "annotations", "kubernetes.io/service-account.name"))}, got type kubernetes.io/service-account-token: it never expires; pods get short-lived tokens through a projected volume`,
        }
      : undefined,
  rationale:
    "The token controller fills such a Secret with a ServiceAccount token that never expires and is not bound to a pod: " +
    "whoever reads it keeps the account's access until the Secret is deleted. Pods get short-lived, bound tokens " +
    "automatically (or through a projected serviceAccountToken volume).",
  link: "https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets",
});
