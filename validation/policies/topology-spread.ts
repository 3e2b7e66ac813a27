import { defineRule } from "../lib/rule";
import { mayRunSeveral } from "../lib/scope";
import { at, field, list } from "../lib/values";

export const topologySpread = defineRule({
  id: "topology-spread",
  title: "Workloads that run several pods spread them across nodes (topology spread or anti-affinity); in prod, every Deployment",
  kinds: ["Deployment", "StatefulSet"],
  pod(pod, { profile, scope }, object) {
    const applies = mayRunSeveral(object, scope) || (profile.highAvailability && object.kind === "Deployment");
    if (!applies) return undefined;
    const spread = list(pod.spec.topologySpreadConstraints).length > 0;
    const antiAffinity = ["requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution"].some(
      (when) => list(at(pod.spec, "affinity", "podAntiAffinity", when)).length > 0,
    );
    if (spread || antiAffinity) return undefined;
    return { field: field(pod.path, "topologySpreadConstraints"), message: "expected topology spread constraints or pod anti-affinity so replicas do not share a node, got nothing" };
  },
  rationale:
    "Replicas the scheduler packs onto one node go down together with it: the second replica only helps if it runs " +
    "elsewhere. Required for any Deployment or StatefulSet with more than one pod (or an HPA), and for every Deployment " +
    "where the environment requires high availability.",
  link: "https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/",
});
