/**
 * PostgreSQL as a StatefulSet: one volume that outlives the StatefulSet, the sync and the Application;
 * credentials from the stack's secret store; pg_isready probes; an application role that owns its
 * database, kept in shape by a setup step on every sync; and a daily pg_dump to a volume of its own.
 *
 * Two roles, least privilege: the superuser (`postgres`) is known only to the server and its setup step;
 * the application, its migrations and its backups connect as the application role, which owns its
 * database and nothing else.
 */
import { PropsError } from "../lib/errors";
import type { Construct } from "constructs";
import { cronProblem } from "../lib/cron";
import { DNS_LABEL, matches } from "../lib/formats";
import { CronJob } from "./cron-job";
import { ExternalSecret, urlEncoded } from "./external-secret";
import { Job } from "./job";
import type { Env, SecretKeyRef } from "./lib/env";
import type { ResourceRequirements } from "./lib/pod";
import { checkVolumeSize, type VolumeSize } from "./lib/volumes";
import { Workload } from "./lib/workload";
import type { Image } from "./lib/image";
import type { SecretStore } from "./secret-store";
import { SharedVolume } from "./shared-volume";

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
  /** PostgreSQL image (the official Debian-based one, or one with its layout), pinned by the environment file. */
  readonly image: Image;
  /** Where the passwords come from: Vault, or generated once (dev). */
  readonly secrets: SecretStore;
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
   * The application's database, and the role that owns it.
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
const SUPERUSER = "postgres";
/** What the setup, backup and probe commands need besides their own variables. */
const TOOL_RESOURCES = { cpu: "50m", memory: "128Mi" } satisfies ResourceRequirements;

const DEFAULTS = {
  storage: { size: "10Gi" } satisfies VolumeSize,
  databaseName: "app",
  resources: { cpu: "250m", memory: "512Mi" } satisfies ResourceRequirements,
  backup: { schedule: "0 3 * * *", keep: 7 },
} as const;

export class Database extends Workload {
  static readonly defaults = DEFAULTS;
  readonly databaseName: string;
  /** The Secret holding `password` (the application role's), `superuser-password` and `url`. */
  readonly credentials: ExternalSecret;
  readonly setup: Job;
  /** The backup CronJob; undefined when backups are off. */
  readonly backup?: CronJob;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id, "Database", "data", props, {
      longRunning: true,
      ports: { postgres: PORT },
      probe: { exec: ["sh", "-c", `pg_isready -h 127.0.0.1 -U ${SUPERUSER}`] },
      startupSeconds: 300,
      resources: DEFAULTS.resources,
      runAsUser: POSTGRES_USER_ID,
      writablePaths: ["/var/run/postgresql", "/tmp"],
    });
    const me = this.description;
    this.databaseName = props.databaseName ?? DEFAULTS.databaseName;
    if (!matches(DNS_LABEL, this.databaseName)) throw new PropsError(`${me}: 'databaseName' must be ${DNS_LABEL.expected} (got '${this.databaseName}')`);
    const storage = props.storage ?? DEFAULTS.storage;
    checkVolumeSize(me, "storage", storage);

    this.credentials = new ExternalSecret(this, "credentials", {
      store: props.secrets,
      secretName: `${this.name}-credentials`,
      keys: ["password", "superuser-password"],
      templates: { url: `postgresql://${this.databaseName}:${urlEncoded("password")}@${this.name}:${PORT}/${this.databaseName}` },
    });
    this.addEnv(
      {
        POSTGRES_USER: SUPERUSER,
        POSTGRES_PASSWORD: this.credentials.ref("superuser-password"),
        PGDATA: `${DATA_PATH}/pgdata`,
      },
      "the server",
    );
    const labels = this.labels(props.image.tag);
    this.addStatefulSet(labels, { volume: storage, mountPath: DATA_PATH });
    this.addService(labels, { headless: true });

    this.setup = new Job(this, `${this.name}-setup`, {
      phase: "data-setup",
      image: props.image,
      command: ["sh", "-c", setupScript()],
      runAsUser: POSTGRES_USER_ID,
      resources: TOOL_RESOURCES,
      timeoutSeconds: 600,
      retries: 2,
      env: {
        ...this.libpqEnv(SUPERUSER, this.credentials.ref("superuser-password"), "postgres"),
        APP_ROLE: this.databaseName,
        APP_DATABASE: this.databaseName,
        APP_PASSWORD: this.credentials.ref("password"),
      },
    });
    this.setup.connect(this, { envPrefix: false });
    if (props.backup !== false) this.backup = this.addBackup(props, props.backup ?? {}, storage);
  }

  override get envPrefix(): string {
    return "DATABASE";
  }

  /**
   * What a client needs: `<PREFIX>_URL` (with the password URL-encoded) and the same as parts, for
   * frameworks that take them one by one (Django's DATABASES).
   */
  override connectionEnv(prefix: string): Env {
    return {
      [`${prefix}_URL`]: this.credentials.ref("url"),
      [`${prefix}_HOST`]: this.name,
      [`${prefix}_PORT`]: String(PORT),
      [`${prefix}_NAME`]: this.databaseName,
      [`${prefix}_USER`]: this.databaseName,
      [`${prefix}_PASSWORD`]: this.credentials.ref("password"),
    };
  }

  /** The variables libpq's tools (psql, pg_dump, pg_isready) read. */
  private libpqEnv(user: string, password: SecretKeyRef, database: string): Env {
    return { PGHOST: this.name, PGPORT: String(PORT), PGUSER: user, PGPASSWORD: password, PGDATABASE: database };
  }

  private addBackup(props: DatabaseProps, backup: BackupSchedule, data: VolumeSize): CronJob {
    const me = this.description;
    const schedule = backup.schedule ?? DEFAULTS.backup.schedule;
    const keep = backup.keep ?? DEFAULTS.backup.keep;
    const scheduleProblem = cronProblem(schedule, "cronjob");
    if (scheduleProblem) throw new PropsError(`${me}: 'backup.schedule': ${scheduleProblem}`);
    if (!Number.isInteger(keep) || keep < 1) throw new PropsError(`${me}: 'backup.keep' must be an integer ≥ 1 (got ${keep})`);
    const name = `${this.name}-backup`;
    // The dumps inherit the data volume's size and storage class unless the backup says otherwise.
    const storage = { ...data, ...backup.storage };
    checkVolumeSize(me, "backup.storage", storage);
    const volume = new SharedVolume(this, `${name}s`, { ...storage, accessMode: "ReadWriteOnce" });
    const job = new CronJob(this, name, {
      image: props.image,
      schedule,
      annotations: { "slipway.dev/backup-of": this.name },
      command: ["sh", "-c", backupScript(keep)],
      runAsUser: POSTGRES_USER_ID,
      resources: { cpu: "100m", memory: "256Mi" },
      env: this.libpqEnv(this.databaseName, this.credentials.ref("password"), this.databaseName),
      volumes: { [BACKUP_PATH]: { claim: volume } },
    });
    job.connect(this, { envPrefix: false });
    return job;
  }
}

/**
 * Brings the application role and database into shape, idempotently, as the superuser: creates them if
 * missing, (re)sets the role's password from the Secret (so a rotated password takes effect on the next
 * sync) and makes the role own its database. psql quotes the values (`:'v'`, `:"v"`), so no password or
 * name can break out of the SQL.
 */
export function setupScript(): string {
  return [
    "set -eu",
    "until pg_isready -q; do sleep 2; done",
    'psql -v ON_ERROR_STOP=1 -v role="$APP_ROLE" -v password="$APP_PASSWORD" -v database="$APP_DATABASE" <<\'SQL\'',
    "SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \\gexec",
    "ALTER ROLE :\"role\" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'password';",
    "SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'role') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') \\gexec",
    "ALTER DATABASE :\"database\" OWNER TO :\"role\";",
    "REVOKE ALL ON DATABASE :\"database\" FROM PUBLIC;",
    "SQL",
  ].join("\n");
}

/** Where the backup CronJob mounts its volume. */
export const BACKUP_PATH = "/backup";

/** Dump into `dir`, then keep the newest `keep` dumps; a failed dump leaves the old ones alone. */
export function backupScript(keep: number, dir = BACKUP_PATH): string {
  return [
    "set -eu",
    `rm -f ${dir}/*.dump.partial`,
    `file="${dir}/\${PGDATABASE}-$(date -u +%Y%m%dT%H%M%SZ).dump"`,
    'pg_dump --format=custom --file="$file.partial"',
    'mv "$file.partial" "$file"',
    `ls -1t ${dir}/*.dump | tail -n +${keep + 1} | xargs -r rm --`,
  ].join("\n");
}
