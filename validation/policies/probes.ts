import { defineRule } from "../lib/rule";
import { label } from "../lib/pods";
import { field } from "../lib/values";

const PROBES = [["readinessProbe", "a readiness probe"], ["livenessProbe", "a liveness probe"]] as const;

export const probes = defineRule({
  id: "probes",
  title: "Long-running containers have readiness and liveness probes",
  containerTypes: ["containers"],
  container: (c, pod) =>
    pod.longRunning
      ? PROBES.map(([key, what]) => (c.container[key] === undefined ? { field: field(c.path, key), message: `${label(c)}: expected ${what}, got nothing` } : undefined))
      : undefined,
  rationale:
    "Without a readiness probe, traffic reaches a pod before it can serve and rollouts cannot tell a broken version " +
    "from a working one; without a liveness probe, a deadlocked process is never restarted. Jobs and init containers " +
    "run to completion and are not judged.",
  link: "https://polaris.docs.fairwinds.com/checks/reliability/",
});
