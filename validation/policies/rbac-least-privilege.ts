import { defineRule } from "../lib/rule";
import { at, field, list, record } from "../lib/values";

const SHELL = new Set<unknown>(["pods/exec", "pods/attach"]);
/** Built-in ClusterRoles that grant everything, or a shell in every pod (admin and edit include pods/exec). */
const TOO_WIDE = new Map<unknown, string>([
  ["cluster-admin", "it grants everything"],
  ["admin", "it grants pods/exec and secrets"],
  ["edit", "it grants pods/exec and secrets"],
]);

export const rbacLeastPrivilege = defineRule({
  id: "rbac-least-privilege",
  title: "RBAC grants no wildcards, no pods/exec or pods/attach, and never binds cluster-admin, admin or edit",
  kinds: ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"],
  check(object) {
    const rules = list(object.rules).map(record);
    const role = at(object, "roleRef", "name");
    const wide = at(object, "roleRef", "kind") === "ClusterRole" ? TOO_WIDE.get(role) : undefined;
    return [
      ...rules.flatMap((rule, i) => [
        ...["apiGroups", "resources", "verbs"].map((key) => (list(rule?.[key]).includes("*") ? { field: field("rules", i, key), message: `expected explicit ${key}, got "*"` } : undefined)),
        ...list(rule?.resources)
          .filter((resource) => SHELL.has(resource))
          .map((resource) => ({ field: field("rules", i, "resources"), message: `expected no ${String(resource)} (a shell in every pod the role reaches), got "${String(resource)}"` })),
      ]),
      wide === undefined ? undefined : { field: "roleRef.name", message: `expected a role of least privilege, got "${String(role)}" (${wide})` },
    ];
  },
  rationale:
    "A wildcard grants every verb or resource that exists today and every one added later; exec and attach open a " +
    "shell in any pod the role reaches, secrets included; binding cluster-admin hands over the cluster, and the " +
    "built-in admin and edit roles include exec and secrets.",
  link: "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
});
