/**
 * Volumes, claimed and mounted the same way by every component: the data volume of a StatefulSet, a
 * standalone claim several workloads share, and what a container mounts by path.
 */
import { PropsError } from "../../lib/errors";
import { volumeSizeProblem } from "../../lib/bounds";
import { DNS_SUBDOMAIN, QUANTITY, matches } from "../../lib/formats";
import { k8s } from "./k8s";
import { scratchVolumeName } from "./pod";
import type { Role } from "./roles";

export type AccessMode = "ReadWriteOnce" | "ReadWriteOncePod" | "ReadWriteMany" | "ReadOnlyMany";

export interface VolumeSize {
  /** Capacity, e.g. `10Gi`. */
  readonly size: string;
  /**
   * Storage class.
   * @default - the cluster's default class
   */
  readonly storageClassName?: string;
}

/** Throws, naming `owner` and `field`, unless `v.size` is a sane volume size and its class a name Kubernetes accepts. */
export function checkVolumeSize(owner: string, field: string, v: VolumeSize): void {
  if (!matches(QUANTITY, v.size)) {
    throw new PropsError(`${owner}: '${field}.size' must be ${QUANTITY.expected} (got '${v.size}')`);
  }
  const problem = volumeSizeProblem(v.size);
  if (problem) throw new PropsError(`${owner}: '${field}.size': ${problem}`);
  if (v.storageClassName !== undefined && !matches(DNS_SUBDOMAIN, v.storageClassName)) {
    throw new PropsError(`${owner}: '${field}.storageClassName' must be ${DNS_SUBDOMAIN.expected} (got '${v.storageClassName}')`);
  }
}

export function volumeClaimSpec(v: VolumeSize, accessMode: AccessMode = "ReadWriteOnce"): k8s.PersistentVolumeClaimSpec {
  return {
    accessModes: [accessMode],
    ...(v.storageClassName ? { storageClassName: v.storageClassName } : {}),
    resources: { requests: { storage: k8s.Quantity.fromString(v.size) } },
  };
}

/**
 * A StatefulSet's claim template. No Argo CD annotations: the claims it creates are not in Git, so Argo CD
 * never prunes them, and the StatefulSet's retention policy keeps them; annotations here would only make
 * the (immutable) template differ from a later version's.
 */
export function volumeClaimTemplate(name: string, labels: Record<string, string>, v: VolumeSize): k8s.KubePersistentVolumeClaimProps {
  return { metadata: { name, labels }, spec: volumeClaimSpec(v) };
}

/** A component mounting a claim, as the claim's sync wave needs to know it. */
export interface ClaimConsumer {
  readonly description: string;
  readonly role: Role;
  /** Runs continuously (a Deployment or StatefulSet), rather than to completion (a Job or CronJob). */
  readonly longRunning: boolean;
}

/** A PersistentVolumeClaim pods mount: a SharedVolume of the stack, or a claim that exists already. */
export interface Claim {
  readonly claimName: string;
  /**
   * Who may mount it at once, where known.
   * @default - unknown (a claim made outside Slipway)
   */
  readonly accessMode?: AccessMode;
  /** Told of every component that mounts it, before the sync waves are decided. */
  mountedBy(consumer: ClaimConsumer): void;
}

/** A claim created outside Slipway (by hand, or by another tool); mounting it changes nothing about it. */
export function existingClaim(claimName: string): Claim {
  return { claimName, mountedBy: () => undefined };
}

/** What a path in a container is: scratch space, a claim, or the files of a ConfigMap or Secret. */
export type VolumeSource =
  | { readonly emptyDir: { readonly sizeLimit?: string; readonly medium?: "Memory" } }
  | { readonly claim: Claim }
  | { readonly configMap: string; readonly items?: readonly string[] }
  | { readonly secret: string; readonly items?: readonly string[] };

export type Mount = VolumeSource & {
  /**
   * Mount read-only.
   * @default false (true for ConfigMaps and Secrets)
   */
  readonly readOnly?: boolean;
  /**
   * Mount one file (or folder) of the volume at the path instead of the whole volume.
   * @default - the whole volume
   */
  readonly subPath?: string;
};

function volume(name: string, source: VolumeSource): k8s.Volume {
  if ("emptyDir" in source) {
    const { sizeLimit, medium } = source.emptyDir;
    return {
      name,
      emptyDir: {
        ...(medium ? { medium } : {}),
        ...(sizeLimit ? { sizeLimit: k8s.Quantity.fromString(sizeLimit) } : {}),
      },
    };
  }
  if ("claim" in source) return { name, persistentVolumeClaim: { claimName: source.claim.claimName } };
  const items = source.items ? { items: source.items.map((key) => ({ key, path: key })) } : {};
  if ("configMap" in source) return { name, configMap: { name: source.configMap, ...items } };
  return { name, secret: { secretName: source.secret, ...items } };
}

/** The pod volumes and container mounts of `mounts` (by mount path), each volume named after its path. */
export function mountsOf(owner: string, mounts: Readonly<Record<string, Mount>>): { volumes: k8s.Volume[]; volumeMounts: k8s.VolumeMount[] } {
  const volumes: k8s.Volume[] = [];
  const volumeMounts: k8s.VolumeMount[] = [];
  for (const [mountPath, mount] of Object.entries(mounts)) {
    if (!mountPath.startsWith("/")) throw new PropsError(`${owner}: volume path '${mountPath}' must be absolute, e.g. /data`);
    if ("emptyDir" in mount && mount.emptyDir.sizeLimit !== undefined && !matches(QUANTITY, mount.emptyDir.sizeLimit)) {
      throw new PropsError(`${owner}: 'volumes["${mountPath}"].emptyDir.sizeLimit' must be ${QUANTITY.expected} (got '${mount.emptyDir.sizeLimit}')`);
    }
    const name = scratchVolumeName(mountPath);
    const readOnly = mount.readOnly ?? ("configMap" in mount || "secret" in mount);
    volumes.push(volume(name, mount));
    volumeMounts.push({ name, mountPath, ...(readOnly ? { readOnly } : {}), ...(mount.subPath ? { subPath: mount.subPath } : {}) });
  }
  return { volumes, volumeMounts };
}
