import type { Rule, Violation } from "../types";
import { containers, podSpec } from "../lib/pods";
import { at, field, kindName, list, record, stringMap } from "../lib/values";

export const serviceTargetPort: Rule = {
  id: "service-target-port",
  severity: "error",
  title: "A Service's named targetPort is a port its pods declare",
  rationale:
    "Named target ports are resolved per pod; if no container declares the name, the endpoints have no port and " +
    "connections are refused, while the Service looks healthy.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=dangling-service",
  check(object, { scope }) {
    if (object.kind !== "Service") return [];
    const selector = stringMap(at(object, "spec", "selector"));
    const selected = scope.selectedByMap(selector);
    if (selected.length === 0) return [];
    const declared = selected.map((w) => ({
      workload: kindName(w),
      names: containers(podSpec(w)!, ["containers"]).flatMap((c) =>
        list(c.container.ports).flatMap((p) => (typeof record(p)?.name === "string" ? [record(p)!.name as string] : [])),
      ),
    }));
    const out: Violation[] = [];
    list(at(object, "spec", "ports")).forEach((raw, i) => {
      const target = record(raw)?.targetPort;
      if (typeof target !== "string") return;
      if (declared.every((d) => d.names.includes(target))) return;
      const found = declared.map((d) => `${d.workload}: ${d.names.length ? d.names.join(", ") : "none"}`).join("; ");
      out.push({ field: field("spec", "ports", i, "targetPort"), message: `expected a port name declared by the selected pods (${found}), got "${target}"` });
    });
    return out;
  },
};
