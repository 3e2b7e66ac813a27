import type { Rule, Violation } from "../types";
import { eachContainer, label, podSpec } from "../lib/pods";
import { at, describe, field, record } from "../lib/values";

const TYPES = new Set(["container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);

function check(options: unknown, path: string, who: string): Violation[] {
  const o = record(options);
  if (!o) return [];
  const out: Violation[] = [];
  if (o.type !== undefined && o.type !== "" && !TYPES.has(o.type as string)) {
    out.push({ field: field(path, "type"), message: `${who}expected container_t, container_init_t, container_kvm_t or container_engine_t, got ${describe(o.type)}` });
  }
  for (const key of ["user", "role"]) {
    if (o[key] !== undefined && o[key] !== "") out.push({ field: field(path, key), message: `${who}expected unset, got ${describe(o[key])}` });
  }
  return out;
}

export const selinuxOptions: Rule = {
  id: "selinux-options",
  severity: "error",
  title: "SELinux options keep a container type and never set a custom user or role",
  rationale: "A custom SELinux user, role or type (e.g. spc_t, super-privileged) switches off the confinement SELinux gives containers.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
  check(object) {
    const pod = podSpec(object);
    if (!pod) return [];
    return [
      ...check(at(pod.spec, "securityContext", "seLinuxOptions"), field(pod.path, "securityContext", "seLinuxOptions"), ""),
      ...eachContainer(object, (c) => check(at(c.container, "securityContext", "seLinuxOptions"), field(c.path, "securityContext", "seLinuxOptions"), `${label(c)}: `)),
    ];
  },
};
