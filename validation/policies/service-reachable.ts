import type { KubeObject } from "../../lib/kube-object";
import { defineRule } from "../lib/rule";
import { ingressPoliciesOf, rulePortsAdmit } from "../lib/network";
import { containerPorts, podSpec, type ContainerPort } from "../lib/pods";
import { at, field, kindName, list, record, stringMap, text } from "../lib/values";

/** The pod port a Service port sends to: its targetPort (a number or a container port's name), else its port. */
function targetPort(servicePort: Record<string, unknown>, declared: readonly ContainerPort[]): ContainerPort | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  const protocol = text(servicePort.protocol) ?? "TCP";
  const byName = typeof target === "string" ? declared.find((p) => p.name === target) : undefined;
  if (typeof target === "string") return byName && { ...byName, protocol };
  if (typeof target !== "number") return undefined;
  const name = declared.find((p) => p.number === target)?.name;
  return { number: target, ...(name === undefined ? {} : { name }), protocol };
}

const show = (port: ContainerPort) => `${String(port.number ?? port.name)}${port.name && port.number !== undefined ? ` (${port.name})` : ""}`;

export const serviceReachable = defineRule({
  id: "service-reachable",
  title: "Every Service port is admitted by a NetworkPolicy where its pods are isolated for ingress",
  kinds: ["Service"],
  check(service, { scope }) {
    return scope.selectedByMap(stringMap(at(service, "spec", "selector"))).flatMap((workload: KubeObject) => {
      const isolating = ingressPoliciesOf(scope, workload);
      if (isolating.length === 0) return [];
      const declared = containerPorts(podSpec(workload)!);
      return list(at(service, "spec", "ports")).map((raw, i) => {
        const port = targetPort(record(raw) ?? {}, declared);
        if (!port || isolating.some((p) => list(at(p, "spec", "ingress")).some((rule) => rulePortsAdmit(rule, port)))) return undefined;
        const names = isolating.map((p) => String(p.metadata?.name)).join(", ");
        return {
          field: field("spec", "ports", i),
          message: `expected a NetworkPolicy in ${scope.describeNamespace()} admitting traffic to port ${show(port)} of ${kindName(workload)}'s pods, found none: they are isolated for ingress (NetworkPolicy ${names}), so every connection through this Service is dropped; add an ingress rule from its callers`,
        };
      });
    });
  },
  rationale:
    "Once a NetworkPolicy selects a pod for ingress (a default deny selects them all), only what some policy's ingress " +
    "rules admit reaches it. A Service whose port no rule admits resolves and looks healthy, but every connection to it " +
    "times out. Judged only where a policy isolates the Service's pods.",
  link: "https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation",
});
