import type { Rule, Violation } from "../types";
import { at, field, list, record } from "../lib/values";

const SHELL = new Set(["pods/exec", "pods/attach"]);
/** Built-in ClusterRoles that grant everything, or a shell in every pod (admin and edit include pods/exec). */
const TOO_WIDE: Record<string, string> = {
  "cluster-admin": "it grants everything",
  admin: "it grants pods/exec and secrets",
  edit: "it grants pods/exec and secrets",
};

export const rbacLeastPrivilege: Rule = {
  id: "rbac-least-privilege",
  severity: "error",
  title: "RBAC grants no wildcards, no pods/exec or pods/attach, and never binds cluster-admin, admin or edit",
  rationale:
    "A wildcard grants every verb or resource that exists today and every one added later; exec and attach open a " +
    "shell in any pod the role reaches, secrets included; binding cluster-admin hands over the cluster, and the " +
    "built-in admin and edit roles include exec and secrets.",
  link: "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
  check(object) {
    const out: Violation[] = [];
    if (object.kind === "Role" || object.kind === "ClusterRole") {
      list(object.rules).forEach((raw, i) => {
        const rule = record(raw);
        if (!rule) return;
        for (const key of ["apiGroups", "resources", "verbs"]) {
          if (list(rule[key]).includes("*")) out.push({ field: field("rules", i, key), message: `expected explicit ${key}, got "*"` });
        }
        for (const resource of list(rule.resources)) {
          if (typeof resource === "string" && SHELL.has(resource)) out.push({ field: field("rules", i, "resources"), message: `expected no ${resource} (a shell in every pod the role reaches), got "${resource}"` });
        }
      });
    }
    const role = at(object, "roleRef", "name");
    if ((object.kind === "RoleBinding" || object.kind === "ClusterRoleBinding") && at(object, "roleRef", "kind") === "ClusterRole" && typeof role === "string" && TOO_WIDE[role]) {
      out.push({ field: "roleRef.name", message: `expected a role of least privilege, got "${role}" (${TOO_WIDE[role]})` });
    }
    return out;
  },
};
