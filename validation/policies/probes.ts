import type { Rule } from "../types";
import { eachContainer, label, podSpec } from "../lib/pods";
import { field } from "../lib/values";

const PROBES = [["readinessProbe", "a readiness probe"], ["livenessProbe", "a liveness probe"]] as const;

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
    if (!podSpec(object)?.longRunning) return [];
    return eachContainer(
      object,
      (c) =>
        PROBES.flatMap(([key, what]) =>
          c.container[key] === undefined ? [{ field: field(c.path, key), message: `${label(c)}: expected ${what}, got nothing` }] : [],
        ),
      ["containers"],
    );
  },
};
