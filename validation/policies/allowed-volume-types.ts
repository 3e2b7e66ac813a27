import { defineRule } from "../lib/rule";
import { field, records, text } from "../lib/values";

/** The restricted profile's list: volumes backed by the pod, the API server or a claim, never by the node. */
const ALLOWED = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

export const allowedVolumeTypes = defineRule({
  id: "allowed-volume-types",
  waivable: false,
  title: "Pods mount only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes",
  pod: (pod) =>
    records(pod.spec, pod.path, "volumes").flatMap(({ value: volume, path }, i) =>
      Object.keys(volume)
        .filter((type) => type !== "name" && !ALLOWED.includes(type))
        .map((type) => ({ field: field(path, type), message: `volume '${text(volume.name) ?? i}': expected one of ${ALLOWED.join(", ")}, got ${type}` })),
    ),
  rationale:
    "hostPath mounts expose the node's filesystem (the container runtime socket, kubelet credentials, other pods' data); " +
    "in-tree network volume types bypass the storage classes the platform manages.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
});
