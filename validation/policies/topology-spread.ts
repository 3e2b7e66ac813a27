import type { Rule } from "../types";
import { podSpec } from "../lib/pods";
import { mayRunSeveral } from "../lib/scope";
import { at, field, list } from "../lib/values";

export const topologySpread: Rule = {
  id: "topology-spread",
  severity: "error",
  title: "Workloads that run several pods spread them across nodes (topology spread or anti-affinity); in prod, every Deployment",
  rationale:
    "Replicas the scheduler packs onto one node go down together with it: the second replica only helps if it runs " +
    "elsewhere. Required for any Deployment or StatefulSet with more than one pod (or an HPA), and for every Deployment " +
    "where the environment requires high availability.",
  link: "https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/",
  check(object, { profile, scope }) {
    if (object.kind !== "Deployment" && object.kind !== "StatefulSet") return [];
    const applies = mayRunSeveral(object, scope) || (profile.highAvailability && object.kind === "Deployment");
    const pod = podSpec(object);
    if (!applies || !pod) return [];
    const spread = list(pod.spec.topologySpreadConstraints).length > 0;
    const antiAffinity =
      list(at(pod.spec, "affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution")).length > 0 ||
      list(at(pod.spec, "affinity", "podAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution")).length > 0;
    if (spread || antiAffinity) return [];
    return [{ field: field(pod.path, "topologySpreadConstraints"), message: "expected topology spread constraints or pod anti-affinity so replicas do not share a node, got nothing" }];
  },
};
