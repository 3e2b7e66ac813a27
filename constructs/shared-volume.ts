/**
 * A PersistentVolumeClaim of its own, mounted by the components that list it in their `volumes`: uploads
 * several API pods share (ReadWriteMany), or dumps a CronJob writes. Protected like every volume: no sync,
 * prune or deleted Application removes it.
 *
 * Its sync wave follows its consumers: on WaitForFirstConsumer storage a claim stays Pending until a pod
 * mounts it, and Argo CD waits for a Pending claim, so it joins the wave of its first long-running
 * consumer; a claim only Jobs and CronJobs mount goes last, where nothing waits for it.
 */
import { PropsError } from "../lib/errors";
import { Construct } from "constructs";
import { DNS_LABEL, matches } from "../lib/formats";
import { quantityBytes } from "../lib/quantity";
import { KEEP_DATA_ANNOTATIONS } from "./lib/data-protection";
import { k8s } from "./lib/k8s";
import { componentLabels } from "./lib/labels";
import { setRole, WAVES, type Role } from "./lib/roles";
import { checkVolumeSize, volumeClaimSpec, type AccessMode, type Claim, type ClaimConsumer, type VolumeSize } from "./lib/volumes";

export interface SharedVolumeProps extends VolumeSize {
  /**
   * Who may mount it at once: `ReadWriteMany` (pods on any node; needs storage that offers it, e.g. NFS or
   * CephFS) or `ReadWriteOnce` (pods on one node).
   * @default "ReadWriteMany"
   */
  readonly accessMode?: AccessMode;
}

export class SharedVolume extends Construct implements Claim {
  readonly claimName: string;
  readonly accessMode: AccessMode;
  readonly description: string;
  /** Its size, for the namespace's quota. */
  readonly storageBytes: number;
  private readonly consumers: ClaimConsumer[] = [];

  constructor(scope: Construct, id: string, props: SharedVolumeProps) {
    super(scope, id);
    this.description = `SharedVolume '${id}'`;
    if (!matches(DNS_LABEL, id)) throw new PropsError(`${this.description}: the id names the claim, so it must be ${DNS_LABEL.expected}`);
    checkVolumeSize(this.description, "size", props);
    this.claimName = id;
    this.accessMode = props.accessMode ?? "ReadWriteMany";
    this.storageBytes = quantityBytes(props.size);
    setRole(this, () => this.role());
    new k8s.KubePersistentVolumeClaim(this, "claim", {
      metadata: { name: id, labels: componentLabels(id, "volume"), annotations: KEEP_DATA_ANNOTATIONS },
      spec: volumeClaimSpec(props, this.accessMode),
    });
  }

  mountedBy(consumer: ClaimConsumer): void {
    this.consumers.push(consumer);
  }

  private role(): Role {
    const waiting = this.consumers.filter((c) => c.longRunning).map((c) => c.role);
    if (waiting.length === 0) return "last";
    return waiting.reduce((first, role) => (WAVES[role] < WAVES[first] ? role : first));
  }
}
