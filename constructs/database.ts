/**
 * PostgreSQL as a StatefulSet: one volume per pod that outlives the StatefulSet, the sync and the
 * Application, credentials from a Secret reference, pg_isready probes, and a daily pg_dump to a volume
 * of its own.
 */
import type { Construct } from "constructs";
import { Component, serviceAccount } from "./lib/component";
import { CRON_SCHEDULE } from "../lib/cron";
import { KEEP_DATA_ANNOTATIONS } from "./lib/data-protection";
import type { Image } from "./lib/image";
import { k8s } from "./lib/k8s";
import { componentLabels, selectorLabels } from "./lib/labels";
import { podSpec, type ResourceRequirements } from "./lib/pod";
import { checkVolumeSize, volumeClaimSpec, type VolumeSize } from "./lib/volumes";
import { statefulWorkload } from "./lib/workload";
import type { SecretKeyRef } from "./external-secret";

export type { VolumeSize } from "./lib/volumes";

export interface BackupSchedule {
  /**
   * Cron schedule, in UTC.
   * @default "0 3 * * *"
   */
  readonly schedule?: string;
  /**
   * How many dumps to keep.
   * @default 7
   */
  readonly keep?: number;
  /**
   * Volume for the dumps.
   * @default the data volume's size and class
   */
  readonly storage?: VolumeSize;
}

export interface DatabaseProps {
  /** PostgreSQL image, pinned by the environment file. */
  readonly image: Image;
  /** The password of the database user; the Secret is provisioned elsewhere (an ExternalSecret). */
  readonly password: SecretKeyRef;
  /**
   * Data volume.
   * @default { size: "10Gi" }
   */
  readonly storage?: VolumeSize;
  /**
   * Daily logical backups on their own volume; `false` turns them off.
   * @default a dump at 03:00 UTC, 7 kept
   */
  readonly backup?: BackupSchedule | false;
  /**
   * Database created on first start, and the user that owns it.
   * @default "app"
   */
  readonly databaseName?: string;
  /**
   * @default { cpu: "250m", memory: "512Mi" }
   */
  readonly resources?: ResourceRequirements;
}

const PORT = 5432;
/** uid/gid of the `postgres` user in the official Debian-based image. */
const POSTGRES_USER_ID = 999;
const DATA_PATH = "/var/lib/postgresql/data";

export class Database extends Component {
  readonly ports = { postgres: PORT };
  readonly databaseName: string;
  /** The backup job, a caller of this database; undefined when backups are off. */
  readonly backupJob?: { name: string; selector: Record<string, string>; ports: Record<string, number> };

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id, "Database", "database");
    const storage = props.storage ?? { size: "10Gi" };
    this.databaseName = props.databaseName ?? "app";
    this.check(storage, props);

    statefulWorkload(this, {
      name: this.name,
      labels: this.labels(props.image.tag),
      selector: this.selector,
      runAs: { user: POSTGRES_USER_ID },
      headless: true,
      servicePorts: this.ports,
      data: storage,
      containers: [
        {
          name: "postgres",
          image: props.image,
          resources: props.resources ?? { cpu: "250m", memory: "512Mi" },
          ports: this.ports,
          env: this.connectionEnv(props.password, true),
          probes: { check: { exec: ["sh", "-c", 'pg_isready -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"'] }, startupSeconds: 300 },
          writablePaths: ["/var/run/postgresql", "/tmp"],
          volumeMounts: [{ name: "data", mountPath: DATA_PATH }],
        },
      ],
    });
    if (props.backup !== false) this.backupJob = this.addBackup(props, props.backup ?? {}, storage);
  }

  private check(storage: VolumeSize, props: DatabaseProps): void {
    const me = this.describe();
    checkVolumeSize(me, "storage", storage);
    if (props.backup) {
      if (props.backup.schedule !== undefined && !CRON_SCHEDULE.test(props.backup.schedule)) {
        throw new Error(`${me}: 'backup.schedule' must be a cron schedule such as '0 3 * * *' or @daily (got '${props.backup.schedule}')`);
      }
      if (props.backup.storage) checkVolumeSize(me, "backup.storage", props.backup.storage);
      if (props.backup.keep !== undefined && (!Number.isInteger(props.backup.keep) || props.backup.keep < 1)) {
        throw new Error(`${me}: 'backup.keep' must be an integer ≥ 1 (got ${props.backup.keep})`);
      }
    }
  }

  /** Environment the server (and its clients in this pod) use; libpq reads the PG* variables. */
  private connectionEnv(password: SecretKeyRef, server: boolean): k8s.EnvVar[] {
    const secret = { valueFrom: { secretKeyRef: { name: password.name, key: password.key } } };
    return server
      ? [
          { name: "POSTGRES_USER", value: this.databaseName },
          { name: "POSTGRES_DB", value: this.databaseName },
          { name: "POSTGRES_PASSWORD", ...secret },
          { name: "PGDATA", value: `${DATA_PATH}/pgdata` },
        ]
      : [
          { name: "PGHOST", value: this.name },
          { name: "PGPORT", value: String(PORT) },
          { name: "PGUSER", value: this.databaseName },
          { name: "PGDATABASE", value: this.databaseName },
          { name: "PGPASSWORD", ...secret },
        ];
  }

  private addBackup(props: DatabaseProps, backup: BackupSchedule, data: VolumeSize) {
    const name = `${this.name}-backup`;
    const selector = selectorLabels(this, name);
    const labels = { ...componentLabels(name, "backup", props.image.tag), ...selector };
    const keep = backup.keep ?? 7;
    new k8s.KubePersistentVolumeClaim(this, "backup-volume", {
      metadata: { name, labels, annotations: KEEP_DATA_ANNOTATIONS },
      spec: volumeClaimSpec(backup.storage ?? data),
    });
    serviceAccount(this, name, labels);
    new k8s.KubeCronJob(this, "backup", {
      metadata: { name, labels, annotations: { "slipway.dev/backup-of": this.name } },
      spec: {
        schedule: backup.schedule ?? "0 3 * * *",
        timeZone: "Etc/UTC",
        concurrencyPolicy: "Forbid",
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 3600,
            template: {
              metadata: { labels },
              spec: podSpec({
                serviceAccountName: name,
                runAs: { user: POSTGRES_USER_ID },
                restartPolicy: "OnFailure",
                containers: [
                  {
                    name: "pg-dump",
                    image: props.image,
                    resources: { cpu: "100m", memory: "256Mi" },
                    command: ["sh", "-c", backupScript(keep)],
                    env: this.connectionEnv(props.password, false),
                    writablePaths: ["/tmp"],
                    volumeMounts: [{ name: "backup", mountPath: "/backup" }],
                  },
                ],
                volumes: [{ name: "backup", persistentVolumeClaim: { claimName: name } }],
              }),
            },
          },
        },
      },
    });
    return { name, selector, ports: {} };
  }
}

/** Dump, then keep the newest `keep` dumps; a failed dump leaves the old ones alone. */
export function backupScript(keep: number): string {
  return [
    "set -eu",
    "rm -f /backup/*.dump.partial",
    'file="/backup/${PGDATABASE}-$(date -u +%Y%m%dT%H%M%SZ).dump"',
    'pg_dump --format=custom --file="$file.partial"',
    'mv "$file.partial" "$file"',
    `ls -1t /backup/*.dump | tail -n +${keep + 1} | xargs -r rm --`,
  ].join("\n");
}
