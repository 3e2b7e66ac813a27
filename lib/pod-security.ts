/**
 * The Pod Security admission labels of a namespace whose pods must pass the "restricted" profile
 * (https://kubernetes.io/docs/concepts/security/pod-security-admission/): enforced at the cluster's current
 * policy version, and also warned about and audited, so a violation is visible before it is refused.
 */
export const RESTRICTED_NAMESPACE_LABELS: Readonly<Record<string, string>> = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/enforce-version": "latest",
  "pod-security.kubernetes.io/warn": "restricted",
  "pod-security.kubernetes.io/audit": "restricted",
};
