import { defineRule } from "../lib/rule";
import { expectSecurity, type SecurityOwner } from "../lib/pods";

const TYPES = new Set<unknown>(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);
const unset = (value: unknown) => value === undefined || value === "";

const confined = (owner: SecurityOwner) => [
  expectSecurity(owner, ["seLinuxOptions", "type"], (type) => type === undefined || TYPES.has(type), "expected container_t, container_init_t, container_kvm_t or container_engine_t"),
  expectSecurity(owner, ["seLinuxOptions", "user"], unset, "expected unset"),
  expectSecurity(owner, ["seLinuxOptions", "role"], unset, "expected unset"),
];

export const selinuxOptions = defineRule({
  id: "selinux-options",
  waivable: false,
  title: "SELinux options keep a container type and never set a custom user or role",
  pod: confined,
  container: confined,
  rationale: "A custom SELinux user, role or type (e.g. spc_t, super-privileged) switches off the confinement SELinux gives containers.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
});
