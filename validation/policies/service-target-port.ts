import { defineRule } from "../lib/rule";
import { containerPorts, podSpec } from "../lib/pods";
import { at, field, kindName, list, record, stringMap } from "../lib/values";

export const serviceTargetPort = defineRule({
  id: "service-target-port",
  title: "A Service's named targetPort is a port its pods declare",
  kinds: ["Service"],
  check(service, { scope }) {
    const selected = scope.selectedByMap(stringMap(at(service, "spec", "selector")));
    if (selected.length === 0) return undefined;
    const declared = selected.map((w) => ({
      workload: kindName(w),
      names: containerPorts(podSpec(w)!).flatMap((p) => (p.name === undefined ? [] : [p.name])),
    }));
    return list(at(service, "spec", "ports")).map((raw, i) => {
      const target = record(raw)?.targetPort;
      if (typeof target !== "string" || declared.every((d) => d.names.includes(target))) return undefined;
      const found = declared.map((d) => `${d.workload}: ${d.names.length ? d.names.join(", ") : "none"}`).join("; ");
      return { field: field("spec", "ports", i, "targetPort"), message: `expected a port name declared by the selected pods (${found}), got "${target}"` };
    });
  },
  rationale:
    "Named target ports are resolved per pod; if no container declares the name, the endpoints have no port and " +
    "connections are refused, while the Service looks healthy.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=dangling-service",
});
