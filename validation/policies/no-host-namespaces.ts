import type { Rule, Violation } from "../types";
import { podSpec } from "../lib/pods";
import { field } from "../lib/values";

const SHARED: Record<string, string> = {
  hostNetwork: "the node's network stack",
  hostPID: "the node's process table",
  hostIPC: "the node's shared memory",
};

export const noHostNamespaces: Rule = {
  id: "no-host-namespaces",
  severity: "error",
  title: "Pods do not share the node's network, PID or IPC namespace",
  rationale:
    "Host namespaces let a pod see and talk to everything on the node: other pods' traffic and processes, " +
    "the kubelet, the cloud metadata endpoint. NetworkPolicies do not apply to host-network pods.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
  check(object) {
    const pod = podSpec(object);
    if (!pod) return [];
    const out: Violation[] = [];
    for (const [key, what] of Object.entries(SHARED)) {
      if (pod.spec[key] === true) out.push({ field: field(pod.path, key), message: `expected false or unset, got true (the pod would share ${what})` });
    }
    return out;
  },
};
