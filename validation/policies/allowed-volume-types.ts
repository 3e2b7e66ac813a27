import type { Rule, Violation } from "../types";
import { podSpec } from "../lib/pods";
import { field, list, record, text } from "../lib/values";

/** The restricted profile's list: volumes backed by the pod, the API server or a claim, never by the node. */
const ALLOWED = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

export const allowedVolumeTypes: Rule = {
  id: "allowed-volume-types",
  severity: "error",
  title: "Pods mount only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes",
  rationale:
    "hostPath mounts expose the node's filesystem (the container runtime socket, kubelet credentials, other pods' data); " +
    "in-tree network volume types bypass the storage classes the platform manages.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
  check(object) {
    const pod = podSpec(object);
    if (!pod) return [];
    const out: Violation[] = [];
    list(pod.spec.volumes).forEach((raw, i) => {
      const volume = record(raw);
      if (!volume) return;
      for (const type of Object.keys(volume)) {
        if (type === "name" || ALLOWED.includes(type)) continue;
        out.push({
          field: field(pod.path, "volumes", i, type),
          message: `volume '${text(volume.name) ?? i}': expected one of ${ALLOWED.join(", ")}, got ${type}`,
        });
      }
    });
    return out;
  },
};
