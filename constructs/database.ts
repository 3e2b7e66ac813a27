/**
 * A database server as a StatefulSet — PostgreSQL or MongoDB, with the same guarantees for both: one volume
 * that outlives the StatefulSet, the sync and the Application; credentials from the stack's secret store;
 * probes; an application user that owns (PostgreSQL) or reads and writes (MongoDB) its database, kept in
 * shape by a setup step on every sync; and a daily dump to a volume of its own, optionally copied
 * off-site to S3-compatible storage.
 *
 * Two identities, least privilege: the superuser (`postgres`, MongoDB's `root`) is known only to the
 * server and its setup step; the application, its migrations and its backups use the application user.
 * Everything that differs between the engines is one entry of ENGINES.
 */
import { PropsError } from "../lib/errors";
import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { CRON_EXAMPLE, cronScheduleProblem } from "../lib/cron";
import { DNS_LABEL, matches, S3_BUCKET } from "../lib/formats";
import { quantityBytes } from "../lib/quantity";
import { CronJob } from "./cron-job";
import { ExternalSecret, urlEncoded } from "./external-secret";
import { ExternalService } from "./external-service";
import { Job } from "./job";
import type { Env, SecretKeyRef } from "./lib/env";
import type { Image } from "./lib/image";
import type { HealthCheck, ResourceRequirements } from "./lib/pod";
import { checkVolumeSize, type VolumeSize } from "./lib/volumes";
import { Workload } from "./lib/workload";
import type { SecretStore } from "./secret-store";
import { SharedVolume } from "./shared-volume";

export type DatabaseEngine = "postgres" | "mongodb";

/** A copy of every dump in an S3-compatible bucket, made in the backup pod right after the dump. */
export interface OffsiteCopy {
  /** The uploader: an rclone image (e.g. docker.io/rclone/rclone), pinned by the environment file. */
  readonly image: Image;
  /** Bucket the dumps are copied to; it must exist (the credentials need no right to create buckets). */
  readonly bucket: string;
  /** The S3 endpoint, `https://` (e.g. https://s3.eu-central-1.amazonaws.com). */
  readonly endpoint: string;
  /** Networks (CIDRs) the endpoint's addresses are in: the backup pod's only egress besides the database. */
  readonly cidrs: readonly string[];
  /**
   * The bucket's region, for endpoints that need one.
   * @default - none: the endpoint's default
   */
  readonly region?: string;
  /**
   * Folder in the bucket.
   * @default - `<namespace>/<database name>`
   */
  readonly prefix?: string;
}

export interface BackupSchedule {
  /**
   * Cron schedule, in UTC.
   * @default "0 3 * * *"
   */
  readonly schedule?: string;
  /**
   * How many dumps to keep on the backup volume, 1 to 90.
   * @default 7
   */
  readonly keep?: number;
  /**
   * Volume for the dumps; at least the data volume's size.
   * @default the data volume's size and class
   */
  readonly storage?: VolumeSize;
  /**
   * Copy each dump to S3-compatible storage, with credentials (`access-key-id`, `secret-access-key`) from
   * the stack's secret store: recommended in prod, where a lost disk or namespace takes the backup volume too.
   * @default - no off-site copy
   */
  readonly offsite?: OffsiteCopy;
}

export interface DatabaseProps {
  /** Server image (the official `postgres` or `mongo` one, or one with its layout), pinned by the environment file. */
  readonly image: Image;
  /** Where the passwords come from: Vault, or generated once (dev). */
  readonly secrets: SecretStore;
  /**
   * Which server it runs.
   * @default "postgres"
   */
  readonly engine?: DatabaseEngine;
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
   * The application's database, and the user that owns it.
   * @default "app"
   */
  readonly databaseName?: string;
  /**
   * @default { cpu: "250m", memory: "512Mi" }
   */
  readonly resources?: ResourceRequirements;
}

/** Where the backup CronJob mounts its volume. */
export const BACKUP_PATH = "/backup";

/** How an engine's dump is made and named; backupScript wraps it in the steps every engine shares. */
export interface DumpFormat {
  /** File name ending, e.g. `dump`. */
  readonly suffix: string;
  /** The variable naming the database, which names the files. */
  readonly nameVariable: string;
  /** Lines run before the dump. */
  readonly prepare: readonly string[];
  /** Writes the dump to `$file.partial`. */
  readonly command: string;
  /** Restores the dump `$DUMP` over the application's database, with the backup pod's environment (README, "Backups and restore"). */
  readonly restore: string;
}

/** What the setup, backup and probe commands of an engine need, given its identities. */
interface EngineContext {
  readonly host: string;
  readonly database: string;
  readonly superuserPassword: SecretKeyRef;
  readonly password: SecretKeyRef;
  readonly url: SecretKeyRef;
}

interface EngineSpec {
  /** Messages and docs name it so. */
  readonly title: string;
  readonly portName: string;
  readonly port: number;
  /** uid/gid of the server's user in the official image. */
  readonly uid: number;
  readonly dataPath: string;
  readonly writablePaths: readonly string[];
  readonly probe: HealthCheck;
  readonly superuser: string;
  /** Prefix of the variables a client gets (`<PREFIX>_URL`…). */
  readonly envPrefix: string;
  /** The application user's connection URL, as an External Secrets template. */
  url(host: string, database: string): string;
  /** Arguments of the server, given its memory limit. */
  serverArgs(memoryLimitBytes: number): readonly string[] | undefined;
  serverEnv(superuserPassword: SecretKeyRef, dataPath: string): Env;
  /** The setup step's command, and what it needs. */
  readonly setupCommand: readonly string[];
  setupEnv(ctx: EngineContext): Env;
  readonly setupResources: ResourceRequirements;
  readonly dump: DumpFormat;
  dumpEnv(ctx: EngineContext): Env;
}

const GiB = 1024 ** 3;

/** The variables libpq's tools (psql, pg_dump, pg_isready) read. */
function libpqEnv(host: string, user: string, password: SecretKeyRef, database: string): Env {
  return { PGHOST: host, PGPORT: "5432", PGUSER: user, PGPASSWORD: password, PGDATABASE: database };
}

/**
 * Brings the application role and database into shape, idempotently, as the superuser: creates them if
 * missing, (re)sets the role's password from the Secret (so a rotated password takes effect on the next
 * sync) and makes the role own its database. psql quotes the values (`:'v'`, `:"v"`), so no password or
 * name can break out of the SQL.
 */
export function postgresSetupScript(): string {
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

/**
 * The same for MongoDB, as JavaScript for `mongosh --nodb`: waits for the server, logs in as root to the
 * admin database (the credentials built into the URL in memory, never on a command line), then creates the
 * application user in the admin database, or resets its password and roles (readWrite on its database and
 * nothing else, so roles granted by hand do not linger). A wrong root password fails at once (code 18)
 * instead of waiting out the Job's deadline.
 */
export function mongoSetupScript(): string {
  return [
    'const env = process.env;',
    'const host = env.MONGO_HOST + ":" + env.MONGO_PORT;',
    'const url = "mongodb://" + encodeURIComponent(env.ROOT_USER) + ":" + encodeURIComponent(env.ROOT_PASSWORD) + "@" + host + "/admin";',
    "let conn;",
    "for (;;) {",
    "  try {",
    "    conn = new Mongo(url);",
    '    conn.getDB("admin").runCommand({ ping: 1 });',
    "    break;",
    "  } catch (e) {",
    "    if (e.code === 18) throw e;",
    '    print("waiting for " + host + ": " + e.message);',
    "    sleep(2000);",
    "  }",
    "}",
    'const admin = conn.getDB("admin");',
    'const spec = { pwd: env.APP_PASSWORD, roles: [{ role: "readWrite", db: env.APP_DATABASE }] };',
    "if (admin.getUser(env.APP_USER) === null) {",
    "  admin.createUser({ user: env.APP_USER, ...spec });",
    '  print("created user " + env.APP_USER);',
    "} else {",
    "  admin.updateUser(env.APP_USER, spec);",
    '  print("updated user " + env.APP_USER);',
    "}",
  ].join("\n");
}

/** Dump into `dir`, then keep the newest `keep` dumps; a failed dump leaves the old ones alone. */
export function backupScript(dump: DumpFormat, keep: number, dir = BACKUP_PATH): string {
  return [
    "set -eu",
    ...dump.prepare,
    `rm -f ${dir}/*.${dump.suffix}.partial`,
    `file="${dir}/\${${dump.nameVariable}}-$(date -u +%Y%m%dT%H%M%SZ).${dump.suffix}"`,
    dump.command,
    'mv "$file.partial" "$file"',
    `ls -1t ${dir}/*.${dump.suffix} | tail -n +${keep + 1} | xargs -r rm --`,
  ].join("\n");
}

/** The restore step of the README, run in a pod made from the backup CronJob, with `DUMP` naming the file. */
export function restoreScript(dump: DumpFormat): string {
  return ["set -eu", ...dump.prepare, dump.restore].join("\n");
}

/** mongodump reads the URL (with the password) from a file, never the command line; only the dump step can read it. */
const MONGODUMP_CONFIG = "/tmp/mongodump.yaml";

export const ENGINES: Readonly<Record<DatabaseEngine, EngineSpec>> = {
  postgres: {
    title: "PostgreSQL",
    portName: "postgres",
    port: 5432,
    uid: 999,
    dataPath: "/var/lib/postgresql/data",
    writablePaths: ["/var/run/postgresql", "/tmp"],
    probe: { exec: ["sh", "-c", "pg_isready -h 127.0.0.1 -U postgres"] },
    superuser: "postgres",
    envPrefix: "DATABASE",
    url: (host, database) => `postgresql://${database}:${urlEncoded("password")}@${host}:5432/${database}`,
    serverArgs: () => undefined,
    serverEnv: (superuserPassword, dataPath) => ({ POSTGRES_USER: "postgres", POSTGRES_PASSWORD: superuserPassword, PGDATA: `${dataPath}/pgdata` }),
    setupCommand: ["sh", "-c", postgresSetupScript()],
    setupEnv: (ctx) => ({
      ...libpqEnv(ctx.host, "postgres", ctx.superuserPassword, "postgres"),
      APP_ROLE: ctx.database,
      APP_DATABASE: ctx.database,
      APP_PASSWORD: ctx.password,
    }),
    setupResources: { cpu: "50m", memory: "128Mi" },
    dump: {
      suffix: "dump",
      nameVariable: "PGDATABASE",
      prepare: [],
      command: 'pg_dump --format=custom --file="$file.partial"',
      // As the owner of every object, in one transaction: a failed restore changes nothing.
      restore: 'pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$PGDATABASE" "$DUMP"',
    },
    dumpEnv: (ctx) => libpqEnv(ctx.host, ctx.database, ctx.password, ctx.database),
  },
  mongodb: {
    title: "MongoDB",
    portName: "mongodb",
    port: 27017,
    uid: 999,
    dataPath: "/data/db",
    // The image's entrypoint writes a temporary config to /tmp on first start; /data/configdb is a VOLUME of the image.
    writablePaths: ["/tmp", "/data/configdb"],
    // mongosh is a Node.js program: its start-up alone would not fit a probe's few seconds at the default CPU.
    probe: { tcp: "mongodb" },
    superuser: "root",
    envPrefix: "MONGODB",
    url: (host, database) => `mongodb://${database}:${urlEncoded("password")}@${host}:27017/${database}?authSource=admin`,
    // WiredTiger's default cache (half of RAM less 1 GiB) applied to the container's limit, not the node's RAM.
    serverArgs: (limit) => ["--wiredTigerCacheSizeGB", String(Math.max(0.25, Math.round(((limit / GiB - 1) / 2) * 100) / 100))],
    serverEnv: (superuserPassword) => ({ MONGO_INITDB_ROOT_USERNAME: "root", MONGO_INITDB_ROOT_PASSWORD: superuserPassword }),
    setupCommand: ["mongosh", "--nodb", "--quiet", "--eval", mongoSetupScript()],
    setupEnv: (ctx) => ({
      MONGO_HOST: ctx.host,
      MONGO_PORT: "27017",
      ROOT_USER: "root",
      ROOT_PASSWORD: ctx.superuserPassword,
      APP_USER: ctx.database,
      APP_DATABASE: ctx.database,
      APP_PASSWORD: ctx.password,
      // mongosh keeps its logs under $HOME, which the read-only root filesystem does not offer.
      HOME: "/tmp",
    }),
    setupResources: { cpu: "100m", memory: "256Mi" },
    dump: {
      suffix: "archive.gz",
      nameVariable: "MONGO_DATABASE",
      prepare: ["umask 077", `trap 'rm -f ${MONGODUMP_CONFIG}' EXIT`, `printf 'uri: "%s"\\n' "$MONGODB_URL" > ${MONGODUMP_CONFIG}`],
      command: `mongodump --config=${MONGODUMP_CONFIG} --archive="$file.partial" --gzip`,
      restore: `mongorestore --config=${MONGODUMP_CONFIG} --nsInclude="\${MONGO_DATABASE}.*" --drop --archive="$DUMP" --gzip`,
    },
    dumpEnv: (ctx) => ({ MONGO_DATABASE: ctx.database, MONGODB_URL: ctx.url }),
  },
};

const DEFAULTS = {
  engine: "postgres",
  storage: { size: "10Gi" } satisfies VolumeSize,
  databaseName: "app",
  resources: { cpu: "250m", memory: "512Mi" } satisfies ResourceRequirements,
  backup: { schedule: "0 3 * * *", keep: 7 },
} as const;

/**
 * Most dumps a backup volume keeps: each is a whole copy of the database, so 90 daily dumps already ask
 * for a volume many times the data's size; longer history belongs off-site, under the bucket's lifecycle.
 */
export const MAX_BACKUP_KEEP = 90;

const BACKUP_RESOURCES = { cpu: "100m", memory: "256Mi" } satisfies ResourceRequirements;

export class Database extends Workload {
  static readonly defaults = DEFAULTS;
  readonly engine: DatabaseEngine;
  readonly databaseName: string;
  /** The application user's Secret: `password` and `url`. Rotated with the stack's store. */
  readonly credentials: ExternalSecret;
  /** The superuser's password, read once: the data was initialised with it. */
  readonly superuser: ExternalSecret;
  readonly setup: Job;
  /** The backup CronJob; undefined when backups are off. */
  readonly backup?: CronJob;
  private readonly spec: EngineSpec;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    const engine = props.engine ?? DEFAULTS.engine;
    const spec = ENGINES[engine];
    if (!spec) throw new PropsError(`Database '${id}': 'engine' must be one of ${Object.keys(ENGINES).join(", ")} (got '${engine}')`);
    const resources: ResourceRequirements = props.resources ?? DEFAULTS.resources;
    const args = spec.serverArgs(quantityBytes(resources.memoryLimit ?? resources.memory));
    super(scope, id, "Database", "data", { ...props, ...(args ? { args } : {}) }, {
      longRunning: true,
      ports: { [spec.portName]: spec.port },
      probe: spec.probe,
      startupSeconds: 300,
      resources: DEFAULTS.resources,
      runAsUser: spec.uid,
      writablePaths: spec.writablePaths,
    });
    const me = this.description;
    this.engine = engine;
    this.spec = spec;
    this.databaseName = props.databaseName ?? DEFAULTS.databaseName;
    if (!matches(DNS_LABEL, this.databaseName)) throw new PropsError(`${me}: 'databaseName' must be ${DNS_LABEL.expected} (got '${this.databaseName}')`);
    const storage = props.storage ?? DEFAULTS.storage;
    checkVolumeSize(me, "storage", storage);

    this.credentials = new ExternalSecret(this, "credentials", {
      store: props.secrets,
      secretName: `${this.name}-credentials`,
      keys: ["password"],
      templates: { url: spec.url(this.name, this.databaseName) },
    });
    // Read from the same Vault secret as the application's password, so Vault's layout is one secret per database.
    this.superuser = new ExternalSecret(this, "superuser", {
      store: props.secrets,
      secretName: `${this.name}-superuser`,
      remoteName: `${this.name}-credentials`,
      keys: ["superuser-password"],
      readOnce: true,
    });
    const ctx: EngineContext = {
      host: this.name,
      database: this.databaseName,
      superuserPassword: this.superuser.ref("superuser-password"),
      password: this.credentials.ref("password"),
      url: this.credentials.ref("url"),
    };
    this.addEnv(spec.serverEnv(ctx.superuserPassword, spec.dataPath), "the server");
    const labels = this.labels(props.image.tag);
    this.addStatefulSet(labels, { volume: storage, mountPath: spec.dataPath });
    this.addService(labels, { headless: true });

    this.setup = new Job(this, `${this.name}-setup`, {
      phase: "data-setup",
      image: props.image,
      command: spec.setupCommand,
      runAsUser: spec.uid,
      resources: spec.setupResources,
      timeoutSeconds: 600,
      retries: 2,
      env: spec.setupEnv(ctx),
    });
    this.setup.connect(this, { envPrefix: false });
    if (props.backup !== false) this.backup = this.addBackup(props.image, props.backup ?? {}, storage, ctx, props.secrets);
  }

  override get envPrefix(): string {
    return this.spec.envPrefix;
  }

  /**
   * What a client needs: `<PREFIX>_URL` (with the password URL-encoded) and the same as parts, for
   * frameworks that take them one by one (Django's DATABASES).
   */
  override connectionEnv(prefix: string): Env {
    return {
      [`${prefix}_URL`]: this.credentials.ref("url"),
      [`${prefix}_HOST`]: this.name,
      [`${prefix}_PORT`]: String(this.spec.port),
      [`${prefix}_NAME`]: this.databaseName,
      [`${prefix}_USER`]: this.databaseName,
      [`${prefix}_PASSWORD`]: this.credentials.ref("password"),
    };
  }

  private addBackup(image: Image, backup: BackupSchedule, data: VolumeSize, ctx: EngineContext, secrets: SecretStore): CronJob {
    const me = this.description;
    const schedule = backup.schedule ?? DEFAULTS.backup.schedule;
    const keep = backup.keep ?? DEFAULTS.backup.keep;
    const problem = cronScheduleProblem(schedule);
    if (problem) throw new PropsError(`${me}: 'backup.schedule' must be ${CRON_EXAMPLE} (got '${schedule}': ${problem})`);
    if (!Number.isInteger(keep) || keep < 1 || keep > MAX_BACKUP_KEEP) {
      throw new PropsError(
        `${me}: 'backup.keep' must be an integer from 1 to ${MAX_BACKUP_KEEP} (got ${keep}); every dump is a full copy on the backup volume, so keep longer history off-site (backup.offsite) under the bucket's lifecycle rules`,
      );
    }
    const name = `${this.name}-backup`;
    // The dumps inherit the data volume's size and storage class unless the backup says otherwise.
    const storage = { ...data, ...backup.storage };
    checkVolumeSize(me, "backup.storage", storage);
    if (quantityBytes(storage.size) < quantityBytes(data.size)) {
      throw new PropsError(`${me}: 'backup.storage.size' ${storage.size} is smaller than the data volume (${data.size}); the dumps must fit, so give it at least ${data.size}`);
    }
    const volume = new SharedVolume(this, `${name}s`, { ...storage, accessMode: "ReadWriteOnce" });
    const dump = { command: ["sh", "-c", backupScript(this.spec.dump, keep)], env: this.spec.dumpEnv(ctx) };
    const common = {
      schedule,
      annotations: { "slipway.dev/backup-of": this.name },
      runAsUser: this.spec.uid,
      resources: BACKUP_RESOURCES,
      volumes: { [BACKUP_PATH]: { claim: volume } },
    };
    const job = backup.offsite
      ? new CronJob(this, name, { ...common, ...this.offsiteUpload(name, backup.offsite, secrets), initContainers: [{ name: "dump", image, ...dump }] })
      : new CronJob(this, name, { ...common, image, ...dump });
    job.connect(this, { envPrefix: false });
    if (backup.offsite) job.connect(this.offsiteEndpoint(name, backup.offsite), { envPrefix: false });
    return job;
  }

  /** The backup pod's main container when dumps go off-site: rclone copies the dumps the bucket lacks, and never deletes there. */
  private offsiteUpload(name: string, offsite: OffsiteCopy, secrets: SecretStore): { image: Image; command: string[]; env: Env } {
    const me = this.description;
    if (secrets.source.provider !== "vault") {
      throw new PropsError(`${me}: 'backup.offsite' needs the bucket's credentials from Vault, but this environment's secrets are generated; turn it off here`);
    }
    if (!matches(S3_BUCKET, offsite.bucket) || offsite.bucket.length < 3) {
      throw new PropsError(`${me}: 'backup.offsite.bucket' must be ${S3_BUCKET.expected} (got '${offsite.bucket}')`);
    }
    const prefix = offsite.prefix ?? [Chart.of(this).namespace, this.name].filter(Boolean).join("/");
    const credentials = new ExternalSecret(this, "offsite-credentials", { store: secrets, secretName: `${name}-offsite`, keys: ["access-key-id", "secret-access-key"] });
    const remote = "RCLONE_CONFIG_OFFSITE";
    return {
      image: offsite.image,
      command: ["rclone", "copy", BACKUP_PATH, `offsite:${offsite.bucket}/${prefix}`, "--include", `*.${this.spec.dump.suffix}`, "--immutable", "--verbose"],
      env: {
        [`${remote}_TYPE`]: "s3",
        [`${remote}_PROVIDER`]: "Other",
        [`${remote}_ENDPOINT`]: offsite.endpoint,
        ...(offsite.region ? { [`${remote}_REGION`]: offsite.region } : {}),
        [`${remote}_ACCESS_KEY_ID`]: credentials.ref("access-key-id"),
        [`${remote}_SECRET_ACCESS_KEY`]: credentials.ref("secret-access-key"),
        // Upload-only keys: rclone must not try to create the bucket.
        [`${remote}_NO_CHECK_BUCKET`]: "true",
        HOME: "/tmp",
      },
    };
  }

  /** The S3 endpoint as something the backup pod connects to: its CIDRs, on the endpoint's port. */
  private offsiteEndpoint(name: string, offsite: OffsiteCopy): ExternalService {
    const me = this.description;
    const url = URL.canParse(offsite.endpoint) ? new URL(offsite.endpoint) : undefined;
    if (url?.protocol !== "https:" || url.pathname !== "/") {
      throw new PropsError(`${me}: 'backup.offsite.endpoint' must be an https:// URL with no path, e.g. https://s3.eu-central-1.amazonaws.com (got '${offsite.endpoint}'); the dumps and keys must not cross the network in the clear`);
    }
    if (offsite.cidrs.length === 0) throw new PropsError(`${me}: 'backup.offsite.cidrs' is empty; list the networks ${url.hostname} resolves to`);
    return new ExternalService(this, `${name}-offsite`, { cidrs: offsite.cidrs, ports: { https: Number(url.port || 443) } });
  }
}
