import { defineRule } from "../lib/rule";
import { field } from "../lib/values";

const SHARED: Record<string, string> = {
  hostNetwork: "the node's network stack",
  hostPID: "the node's process table",
  hostIPC: "the node's shared memory",
};

export const noHostNamespaces = defineRule({
  id: "no-host-namespaces",
  waivable: false,
  title: "Pods do not share the node's network, PID or IPC namespace",
  pod: (pod) =>
    Object.entries(SHARED)
      .filter(([key]) => pod.spec[key] === true)
      .map(([key, what]) => ({ field: field(pod.path, key), message: `expected false or unset, got true (the pod would share ${what})` })),
  rationale:
    "Host namespaces let a pod see and talk to everything on the node: other pods' traffic and processes, " +
    "the kubelet, the cloud metadata endpoint. NetworkPolicies do not apply to host-network pods.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
});
