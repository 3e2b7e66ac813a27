import { defineRule } from "../lib/rule";
import { at, describe, list } from "../lib/values";

const EXPOSED = new Set<unknown>(["LoadBalancer", "NodePort"]);

export const noExternalServices = defineRule({
  id: "no-external-services",
  title: "Services stay inside the cluster: no LoadBalancer or NodePort type and no externalIPs",
  kinds: ["Service"],
  check(service) {
    const type = at(service, "spec", "type");
    const externalIPs = list(at(service, "spec", "externalIPs"));
    return [
      EXPOSED.has(type)
        ? { field: "spec.type", message: `expected ClusterIP (traffic enters through the Ingress), got ${describe(type)}: it opens the Service outside the Ingress's TLS and the NetworkPolicies` }
        : undefined,
      externalIPs.length
        ? { field: "spec.externalIPs", message: `expected none, got ${describe(externalIPs)}: the cluster would route traffic for these addresses to this Service (CVE-2020-8554)` }
        : undefined,
    ];
  },
  rationale:
    "A NodePort opens the Service on every node's address and a LoadBalancer on a cloud load balancer, both beside " +
    "the Ingress that terminates TLS; externalIPs let a Service capture traffic meant for any address (CVE-2020-8554). " +
    "A Service that must be reachable from outside says why with an exception.",
  link: "https://github.com/kubernetes/kubernetes/issues/97076",
});
