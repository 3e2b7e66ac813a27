import type { Rule, Violation } from "../types";
import { containers, label, podSpec } from "../lib/pods";
import { field } from "../lib/values";

export const probes: Rule = {
  id: "probes",
  severity: "error",
  title: "Long-running containers have readiness and liveness probes",
  rationale:
    "Without a readiness probe, traffic reaches a pod before it can serve and rollouts cannot tell a broken version " +
    "from a working one; without a liveness probe, a deadlocked process is never restarted. Jobs and init containers " +
    "run to completion and are not judged.",
  link: "https://polaris.docs.fairwinds.com/checks/reliability/",
  check(object) {
    const pod = podSpec(object);
    if (!pod || !pod.longRunning) return [];
    const out: Violation[] = [];
    for (const c of containers(pod, ["containers"])) {
      for (const [key, what] of [["readinessProbe", "a readiness probe"], ["livenessProbe", "a liveness probe"]] as const) {
        if (c.container[key] === undefined) out.push({ field: field(c.path, key), message: `${label(c)}: expected ${what}, got nothing` });
      }
    }
    return out;
  },
};
