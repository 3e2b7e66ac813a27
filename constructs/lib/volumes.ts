/** Persistent volumes, claimed the same way by every component that keeps data. */
import { KEEP_DATA_ANNOTATIONS } from "./data-protection";
import { k8s } from "./k8s";

export interface VolumeSize {
  /** Capacity, e.g. `10Gi`. */
  readonly size: string;
  /**
   * Storage class.
   * @default - the cluster's default class
   */
  readonly storageClassName?: string;
}

const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/;

/** Throws, naming `owner` and `field`, unless `v.size` is a Kubernetes quantity. */
export function checkVolumeSize(owner: string, field: string, v: VolumeSize): void {
  if (!QUANTITY.test(v.size)) {
    throw new Error(`${owner}: '${field}.size' must be a Kubernetes quantity such as 10Gi (got '${v.size}')`);
  }
}

export function volumeClaimSpec(v: VolumeSize): k8s.PersistentVolumeClaimSpec {
  return {
    accessModes: ["ReadWriteOnce"],
    ...(v.storageClassName ? { storageClassName: v.storageClassName } : {}),
    resources: { requests: { storage: k8s.Quantity.fromString(v.size) } },
  };
}

/** A StatefulSet's claim template, protected from Argo CD prune/delete. */
export function volumeClaimTemplate(name: string, labels: Record<string, string>, v: VolumeSize): k8s.KubePersistentVolumeClaimProps {
  return { metadata: { name, labels, annotations: KEEP_DATA_ANNOTATIONS }, spec: volumeClaimSpec(v) };
}
