import type { Rule, Violation } from "../types";
import { containers, label, podSpec } from "../lib/pods";
import { field, list, record } from "../lib/values";

export const noSshPort: Rule = {
  id: "no-ssh-port",
  severity: "error",
  title: "No container exposes port 22 (SSH)",
  rationale: "Containers are replaced, not logged into; an SSH server is an extra credential store and a way around audit logs.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=ssh-port",
  check(object) {
    const pod = podSpec(object);
    if (!pod) return [];
    const out: Violation[] = [];
    for (const c of containers(pod)) {
      list(c.container.ports).forEach((raw, i) => {
        if (record(raw)?.containerPort === 22) out.push({ field: field(c.path, "ports", i, "containerPort"), message: `${label(c)}: expected no SSH port, got 22` });
      });
    }
    return out;
  },
};
