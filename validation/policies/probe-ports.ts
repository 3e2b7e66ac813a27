import { defineRule } from "../lib/rule";
import { label } from "../lib/pods";
import { describe, field, list, record } from "../lib/values";

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;
const HANDLERS = ["httpGet", "tcpSocket", "grpc"] as const;

export const probePorts = defineRule({
  id: "probe-ports",
  title: "Probes target a port the container declares",
  containerTypes: ["initContainers", "containers"],
  container(c) {
    const ports = list(c.container.ports).map(record).filter((p) => p !== undefined);
    const declared = ports.map((p) => (typeof p.name === "string" ? `${String(p.containerPort)}/${p.name}` : String(p.containerPort)));
    return PROBES.flatMap((probe) =>
      HANDLERS.map((handler) => {
        const port = record(record(c.container[probe])?.[handler])?.port;
        if (port === undefined) return undefined;
        const found = typeof port === "string" ? ports.some((p) => p.name === port) : ports.some((p) => p.containerPort === port);
        if (found) return undefined;
        const expected = declared.length ? declared.join(", ") : "none declared";
        return { field: field(c.path, probe, handler, "port"), message: `${label(c)}: expected one of the container's ports (${expected}), got ${describe(port)}` };
      }),
    );
  },
  rationale:
    "A probe on a port nothing listens on fails forever: the pod never becomes ready, or is restarted in a loop. " +
    "A named port that does not exist is rejected only when the pod is created, long after the sync.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=liveness-port",
});
