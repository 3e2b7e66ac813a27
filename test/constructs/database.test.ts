import type { IStatefulSet } from "kubernetes-models/apps/v1";
import type { ICronJob, IJob } from "kubernetes-models/batch/v1";
import type { IPersistentVolumeClaim, IService, IServiceAccount } from "kubernetes-models/v1";
import type { IDeployment } from "kubernetes-models/apps/v1";
import { Api } from "../../constructs/api";
import { backupScript, Database, ENGINES, mongoSetupScript, postgresSetupScript, restoreScript, type DatabaseProps } from "../../constructs/database";
import { SecretStore } from "../../constructs/secret-store";
import { errorOf, find, image, kindsAndNames, objects, testChart, VAULT } from "../support/chart";
import { PostgresServer } from "../support/postgres";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vm from "node:vm";

const IMAGE = image("docker.io/library/postgres", "16.4");
const SELECTOR = { "app.kubernetes.io/name": "database", "app.kubernetes.io/instance": "web" };
const KEEP_DATA = { "argocd.argoproj.io/sync-options": "Prune=false,Delete=false" };
const secretRef = (key: string, name = "database-credentials") => ({ valueFrom: { secretKeyRef: { name, key } } });
const superuserRef = secretRef("superuser-password", "database-superuser");
const PG_DUMP = ENGINES.postgres.dump;
const PG_ISREADY = { exec: { command: ["sh", "-c", "pg_isready -h 127.0.0.1 -U postgres"] } };

function render(props: Partial<DatabaseProps> = {}) {
  const chart = testChart();
  const secrets = new SecretStore(chart, "secret-store", { source: VAULT, keyPrefix: "prod/web" });
  const database = new Database(chart, "database", { image: IMAGE, secrets, ...props });
  const all = objects(chart);
  const statefulSet = find<IStatefulSet>(all, "StatefulSet", "database");
  const pod = statefulSet.spec!.template.spec!;
  return { chart, secrets, database, all, statefulSet, pod, postgres: pod.containers[0]! };
}

function backup(props: Partial<DatabaseProps> = {}) {
  const rendered = render(props);
  const cronJob = find<ICronJob>(rendered.all, "CronJob", "database-backup");
  const pod = cronJob.spec!.jobTemplate.spec!.template.spec!;
  return { ...rendered, cronJob, backupPod: pod, dump: pod.containers[0]! };
}

const KEEP_HINT = "every dump is a full copy on the backup volume, so keep longer history off-site (backup.offsite) under the bucket's lifecycle rules";

describe("Database", () => {
  test("renders its policy, credentials, account, StatefulSet and headless Service, a setup Job, and a backup volume and CronJob", () => {
    expect(kindsAndNames(render().all).filter((n) => !n.endsWith("/secret-store") && !n.endsWith("/vault"))).toEqual([
      "NetworkPolicy/database",
      "ExternalSecret/database-credentials",
      "ExternalSecret/database-superuser",
      "ServiceAccount/database",
      "StatefulSet/database",
      "Service/database",
      "NetworkPolicy/database-setup",
      "ServiceAccount/database-setup",
      "Job/database-setup",
      "PersistentVolumeClaim/database-backups",
      "NetworkPolicy/database-backup",
      "ServiceAccount/database-backup",
      "CronJob/database-backup",
    ]);
  });

  test("prod database keeps its volume when the stack is deleted", () => {
    const { statefulSet } = render();
    expect(statefulSet.spec?.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
    expect(statefulSet.metadata?.annotations).toEqual(KEEP_DATA);
  });

  test("its claim template carries no Argo CD annotation: Argo CD never owns the claims it creates, and the template is immutable", () => {
    const { statefulSet } = render();
    expect(statefulSet.spec?.volumeClaimTemplates?.map((t) => t.metadata)).toEqual([
      { name: "data", labels: { ...SELECTOR, "app.kubernetes.io/component": "database" } },
    ]);
  });

  test("runs one postgres pod on a 10Gi ReadWriteOnce volume of the default class, mounted at the data path", () => {
    const { statefulSet, postgres } = render();
    expect(statefulSet.spec?.replicas).toBe(1);
    expect(statefulSet.spec?.serviceName).toBe("database");
    expect(statefulSet.spec?.selector).toEqual({ matchLabels: SELECTOR });
    expect(statefulSet.spec?.volumeClaimTemplates?.[0]?.spec).toEqual({ accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } });
    expect(postgres.volumeMounts).toContainEqual({ name: "data", mountPath: "/var/lib/postgresql/data" });
  });

  test("storage sets the data volume's size and class", () => {
    const { statefulSet } = render({ storage: { size: "100Gi", storageClassName: "fast-ssd" } });
    expect(statefulSet.spec?.volumeClaimTemplates?.[0]?.spec).toEqual({
      accessModes: ["ReadWriteOnce"],
      storageClassName: "fast-ssd",
      resources: { requests: { storage: "100Gi" } },
    });
  });

  test("is reached through a headless Service on the postgres port", () => {
    const { all, database } = render();
    expect(database.ports).toEqual({ postgres: 5432 });
    expect(find<IService>(all, "Service", "database").spec).toEqual({
      clusterIP: "None",
      selector: SELECTOR,
      ports: [{ name: "postgres", port: 5432, targetPort: "postgres", protocol: "TCP" }],
    });
  });

  describe("credentials", () => {
    test("come from the stack's store: the application role's password and a URL with the password URL-encoded, read again when rotated", () => {
      const { all } = render();
      expect(find<any>(all, "ExternalSecret", "database-credentials").spec).toEqual({
        refreshPolicy: "OnChange",
        secretStoreRef: { kind: "SecretStore", name: "vault" },
        target: {
          name: "database-credentials",
          creationPolicy: "Owner",
          template: {
            engineVersion: "v2",
            mergePolicy: "Merge",
            data: { url: 'postgresql://app:{{ .password | urlquery | replace "+" "%20" }}@database:5432/app' },
          },
        },
        data: [{ secretKey: "password", remoteRef: { key: "prod/web/database-credentials", property: "password", conversionStrategy: "Default", decodingStrategy: "None", metadataPolicy: "None" } }],
      });
    });

    test("the superuser's password, from the same Vault secret, is read once: the data was initialised with it, so no rotation may change it", () => {
      const { all } = render();
      expect(find<any>(all, "ExternalSecret", "database-superuser").spec).toEqual({
        refreshPolicy: "CreatedOnce",
        secretStoreRef: { kind: "SecretStore", name: "vault" },
        target: { name: "database-superuser", creationPolicy: "Owner" },
        data: [{ secretKey: "superuser-password", remoteRef: { key: "prod/web/database-credentials", property: "superuser-password", conversionStrategy: "Default", decodingStrategy: "None", metadataPolicy: "None" } }],
      });
    });

    test("the server knows only the superuser, by Secret reference, with its data in a PGDATA subdirectory", () => {
      expect(render().postgres.env).toEqual([
        { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
        { name: "POSTGRES_PASSWORD", ...superuserRef },
        { name: "POSTGRES_USER", value: "postgres" },
      ]);
    });

    test("a component connecting to it gets DATABASE_URL and the same as parts, as the application role, never the superuser", () => {
      const { chart, database } = render();
      new Api(chart, "api", { image: image("ghcr.io/acme/shop-api") }).connect(database);
      const env = find<IDeployment>(objects(chart), "Deployment", "api").spec?.template.spec?.containers[0]?.env;
      expect(env).toEqual([
        { name: "DATABASE_HOST", value: "database" },
        { name: "DATABASE_NAME", value: "app" },
        { name: "DATABASE_PASSWORD", ...secretRef("password") },
        { name: "DATABASE_PORT", value: "5432" },
        { name: "DATABASE_URL", ...secretRef("url") },
        { name: "DATABASE_USER", value: "app" },
      ]);
    });

    test("envPrefix renames a connection's variables, e.g. for a second database", () => {
      const { chart, database } = render();
      new Api(chart, "api", { image: image("ghcr.io/acme/shop-api") }).connect(database, { envPrefix: "ORDERS_DB" });
      const env = find<IDeployment>(objects(chart), "Deployment", "api").spec?.template.spec?.containers[0]?.env ?? [];
      expect(env.map((v) => v.name)).toEqual(["ORDERS_DB_HOST", "ORDERS_DB_NAME", "ORDERS_DB_PASSWORD", "ORDERS_DB_PORT", "ORDERS_DB_URL", "ORDERS_DB_USER"]);
    });

    test("databaseName names the database, its role and the URL's path", () => {
      const { all, database } = render({ databaseName: "orders" });
      expect(database.databaseName).toBe("orders");
      expect(find<any>(all, "ExternalSecret", "database-credentials").spec.target.template.data.url).toBe(
        'postgresql://orders:{{ .password | urlquery | replace "+" "%20" }}@database:5432/orders',
      );
    });
  });

  describe("setup", () => {
    test("runs on every sync, after the database is up and before migrations, as the superuser, to shape the application role", () => {
      const { all, database } = render();
      const job = find<IJob>(all, "Job", "database-setup");
      expect(database.setup.role).toBe("data-setup");
      expect(job.metadata?.annotations).toEqual({ "argocd.argoproj.io/hook": "Sync", "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation" });
      const container = job.spec!.template.spec!.containers[0]!;
      expect(container.image).toBe("docker.io/library/postgres:16.4");
      expect(container.command).toEqual(["sh", "-c", postgresSetupScript()]);
      expect(container.env).toEqual([
        { name: "APP_DATABASE", value: "app" },
        { name: "APP_PASSWORD", ...secretRef("password") },
        { name: "APP_ROLE", value: "app" },
        { name: "PGDATABASE", value: "postgres" },
        { name: "PGHOST", value: "database" },
        { name: "PGPASSWORD", ...superuserRef },
        { name: "PGPORT", value: "5432" },
        { name: "PGUSER", value: "postgres" },
      ]);
      expect(job.spec?.backoffLimit).toBe(2);
      expect(job.spec?.activeDeadlineSeconds).toBe(600);
    });
  });

  test("probes with pg_isready over TCP, giving initdb and recovery five minutes to start", () => {
    const { postgres } = render();
    expect(postgres.startupProbe).toEqual({ ...PG_ISREADY, periodSeconds: 5, failureThreshold: 60, timeoutSeconds: 3 });
    expect(postgres.readinessProbe).toEqual({ ...PG_ISREADY, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 });
    expect(postgres.livenessProbe).toEqual({ ...PG_ISREADY, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 });
  });

  test("runs as the postgres user (999) with 250m CPU and 512Mi by default, writing to its socket directory and /tmp", () => {
    const { postgres, pod } = render();
    expect(postgres.name).toBe("database");
    expect(postgres.ports).toEqual([{ name: "postgres", containerPort: 5432, protocol: "TCP" }]);
    expect(postgres.resources).toEqual({ requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "512Mi" } });
    expect(pod.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
    expect(pod.serviceAccountName).toBe("database");
    expect(pod.volumes).toEqual([
      { name: "var-run-postgresql", emptyDir: {} },
      { name: "tmp", emptyDir: {} },
    ]);
  });

  test("resources replace the defaults", () => {
    expect(render({ resources: { cpu: "1", memory: "2Gi" } }).postgres.resources).toEqual({
      requests: { cpu: "1", memory: "2Gi" },
      limits: { memory: "2Gi" },
    });
  });

  test("its ServiceAccount mounts no token", () => {
    expect(find<IServiceAccount>(render().all, "ServiceAccount", "database").automountServiceAccountToken).toBe(false);
  });

  test("admits the setup, backup and every connected component, and nothing else", () => {
    const { chart, database } = render();
    new Api(chart, "api", { image: image("ghcr.io/acme/shop-api") }).connect(database);
    const from = find<any>(objects(chart), "NetworkPolicy", "database").spec.ingress[0].from.map((p: { podSelector: { matchLabels: Record<string, string> } }) => p.podSelector.matchLabels["app.kubernetes.io/name"]);
    expect(from).toEqual(["api", "database-backup", "database-setup"]);
  });

  describe("backup", () => {
    test("dumps daily at 03:00 UTC, one run at a time, keeping three runs of history", () => {
      const { cronJob } = backup();
      expect(cronJob.spec?.schedule).toBe("0 3 * * *");
      expect(cronJob.spec?.timeZone).toBe("Etc/UTC");
      expect(cronJob.spec?.concurrencyPolicy).toBe("Forbid");
      expect(cronJob.spec?.successfulJobsHistoryLimit).toBe(3);
      expect(cronJob.spec?.failedJobsHistoryLimit).toBe(3);
      expect(cronJob.spec?.jobTemplate.spec?.backoffLimit).toBe(2);
      expect(cronJob.spec?.jobTemplate.spec?.activeDeadlineSeconds).toBe(3600);
    });

    test("names the StatefulSet it backs up", () => {
      expect(backup().cronJob.metadata?.annotations).toEqual({ "slipway.dev/backup-of": "database" });
    });

    test("keeps the dumps on a volume of their own, protected like the data, sized and classed like the data volume by default", () => {
      const { all, backupPod, dump } = backup({ storage: { size: "20Gi", storageClassName: "fast-ssd" } });
      const pvc = find<IPersistentVolumeClaim>(all, "PersistentVolumeClaim", "database-backups");
      expect(pvc.metadata?.annotations).toEqual(KEEP_DATA);
      expect(pvc.spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "fast-ssd", resources: { requests: { storage: "20Gi" } } });
      expect(backupPod.volumes).toContainEqual({ name: "backup", persistentVolumeClaim: { claimName: "database-backups" } });
      expect(dump.volumeMounts).toContainEqual({ name: "backup", mountPath: "/backup" });
    });

    test("backup.storage sizes the dump volume, which keeps the data volume's class unless it names one", () => {
      const pvc = (props: Partial<DatabaseProps>) => find<IPersistentVolumeClaim>(backup(props).all, "PersistentVolumeClaim", "database-backups").spec;
      expect(pvc({ storage: { size: "20Gi", storageClassName: "fast-ssd" }, backup: { storage: { size: "200Gi" } } })).toMatchObject({
        storageClassName: "fast-ssd",
        resources: { requests: { storage: "200Gi" } },
      });
      expect(pvc({ storage: { size: "20Gi", storageClassName: "fast-ssd" }, backup: { storage: { size: "200Gi", storageClassName: "cold" } } })?.storageClassName).toBe("cold");
    });

    test("runs pg_dump from the database image as the application role, keeping 7 dumps", () => {
      const { dump } = backup();
      expect(dump.name).toBe("database-backup");
      expect(dump.image).toBe("docker.io/library/postgres:16.4");
      expect(dump.command).toEqual(["sh", "-c", backupScript(PG_DUMP, 7)]);
      expect(dump.env).toEqual([
        { name: "PGDATABASE", value: "app" },
        { name: "PGHOST", value: "database" },
        { name: "PGPASSWORD", ...secretRef("password") },
        { name: "PGPORT", value: "5432" },
        { name: "PGUSER", value: "app" },
      ]);
      expect(dump.resources).toEqual({ requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "256Mi" } });
    });

    test("schedule and keep are passed to the CronJob and the script", () => {
      const { cronJob, dump } = backup({ backup: { schedule: "30 2 * * *", keep: 14 } });
      expect(cronJob.spec?.schedule).toBe("30 2 * * *");
      expect(dump.command?.[2]).toContain("tail -n +15 ");
    });

    test("is a CronJob component with its own ServiceAccount, restarted on failure", () => {
      const { all, cronJob, backupPod, database } = backup();
      const labels = { "app.kubernetes.io/name": "database-backup", "app.kubernetes.io/instance": "web", "app.kubernetes.io/component": "cronjob", "app.kubernetes.io/version": "16.4" };
      expect(cronJob.spec?.jobTemplate.spec?.template.metadata?.labels).toEqual(labels);
      expect(find<IServiceAccount>(all, "ServiceAccount", "database-backup").automountServiceAccountToken).toBe(false);
      expect(backupPod.serviceAccountName).toBe("database-backup");
      expect(backupPod.restartPolicy).toBe("OnFailure");
      expect(database.backup?.name).toBe("database-backup");
    });

    test("backup: false renders no CronJob, no dump volume and no backup account", () => {
      const { all, database } = render({ backup: false });
      expect(kindsAndNames(all).filter((n) => n.includes("backup"))).toEqual([]);
      expect(database.backup).toBeUndefined();
    });
  });

  describe("backupScript", () => {
    test("dumps to a partial file, moves it in place, then deletes all but the newest dumps", () => {
      expect(backupScript(PG_DUMP, 7)).toBe(
        [
          "set -eu",
          "rm -f /backup/*.dump.partial",
          'file="/backup/${PGDATABASE}-$(date -u +%Y%m%dT%H%M%SZ).dump"',
          'pg_dump --format=custom --file="$file.partial"',
          'mv "$file.partial" "$file"',
          "ls -1t /backup/*.dump | tail -n +8 | xargs -r rm --",
        ].join("\n"),
      );
    });

    test("keeping one dump deletes from the second newest on", () => {
      expect(backupScript(PG_DUMP, 1).split("\n").at(-1)).toBe("ls -1t /backup/*.dump | tail -n +2 | xargs -r rm --");
    });
  });

  describe("validation", () => {
    test.each<[string, Partial<DatabaseProps>, string]>([
      ["a storage size that is no quantity", { storage: { size: "10GB" } }, "Database 'database': 'storage.size' must be a Kubernetes quantity such as 250m, 512Mi or 10Gi (got '10GB')"],
      [
        "a backup storage size that is no quantity",
        { backup: { storage: { size: "lots" } } },
        "Database 'database': 'backup.storage.size' must be a Kubernetes quantity such as 250m, 512Mi or 10Gi (got 'lots')",
      ],
      [
        "a schedule that is neither five-field cron nor a macro",
        { backup: { schedule: "0 3 * *" } },
        "Database 'database': 'backup.schedule' must be a cron schedule such as '0 3 * * *' or @daily (got '0 3 * *': expected five fields (minute hour day-of-month month day-of-week) or a macro such as @daily)",
      ],
      [
        "a schedule with fields out of range",
        { backup: { schedule: "99 99 99 99 99" } },
        "Database 'database': 'backup.schedule' must be a cron schedule such as '0 3 * * *' or @daily (got '99 99 99 99 99': minute '99' is outside 0–59)",
      ],
      [
        "a schedule that never runs (31 February)",
        { backup: { schedule: "0 0 31 2 *" } },
        "Database 'database': 'backup.schedule' must be a cron schedule such as '0 3 * * *' or @daily (got '0 0 31 2 *': it never runs: no date matches its day-of-month and month)",
      ],
      ["keeping no dump", { backup: { keep: 0 } }, `Database 'database': 'backup.keep' must be an integer from 1 to 90 (got 0); ${KEEP_HINT}`],
      ["keeping a fraction of a dump", { backup: { keep: 2.5 } }, `Database 'database': 'backup.keep' must be an integer from 1 to 90 (got 2.5); ${KEEP_HINT}`],
      ["keeping a year of hourly dumps on one volume", { backup: { keep: 8760 } }, `Database 'database': 'backup.keep' must be an integer from 1 to 90 (got 8760); ${KEEP_HINT}`],
      [
        "a backup volume smaller than the data volume",
        { storage: { size: "100Gi" }, backup: { storage: { size: "50Gi" } } },
        "Database 'database': 'backup.storage.size' 50Gi is smaller than the data volume (100Gi); the dumps must fit, so give it at least 100Gi",
      ],
      [
        "an engine it does not know",
        { engine: "mysql" as never },
        "Database 'database': 'engine' must be one of postgres, mongodb (got 'mysql')",
      ],
      [
        "a database name that is no DNS label",
        { databaseName: "Orders_DB" },
        "Database 'database': 'databaseName' must be a DNS label (lower-case letters, digits and '-', at most 63) (got 'Orders_DB')",
      ],
    ])("refuses %s", (_, props, message) => {
      expect(errorOf(() => render(props))).toBe(message);
    });
  });

  describe("off-site copies", () => {
    const OFFSITE = {
      image: image("docker.io/rclone/rclone", "1.68.2"),
      bucket: "acme-backups",
      endpoint: "https://s3.eu-central-1.amazonaws.com",
      cidrs: ["52.219.168.0/24"],
      region: "eu-central-1",
    };
    const offsite = (extra: object = {}) => backup({ backup: { offsite: { ...OFFSITE, ...extra } } });

    test("dump first (an init container with the database credentials), then rclone copies the dumps the bucket lacks, never deleting there", () => {
      const { backupPod } = offsite();
      const [dump] = backupPod.initContainers!;
      expect(dump!.name).toBe("dump");
      expect(dump!.image).toBe("docker.io/library/postgres:16.4");
      expect(dump!.command).toEqual(["sh", "-c", backupScript(PG_DUMP, 7)]);
      expect(dump!.env?.map((v) => v.name)).toEqual([
        "HOME",
        "PGDATABASE",
        "PGHOST",
        "PGPASSWORD",
        "PGPORT",
        "PGUSER",
        "RCLONE_CONFIG_OFFSITE_ACCESS_KEY_ID",
        "RCLONE_CONFIG_OFFSITE_ENDPOINT",
        "RCLONE_CONFIG_OFFSITE_NO_CHECK_BUCKET",
        "RCLONE_CONFIG_OFFSITE_PROVIDER",
        "RCLONE_CONFIG_OFFSITE_REGION",
        "RCLONE_CONFIG_OFFSITE_SECRET_ACCESS_KEY",
        "RCLONE_CONFIG_OFFSITE_TYPE",
      ]);
      const upload = backupPod.containers[0]!;
      expect(upload.name).toBe("database-backup");
      expect(upload.image).toBe("docker.io/rclone/rclone:1.68.2");
      expect(upload.command).toEqual(["rclone", "copy", "/backup", "offsite:acme-backups/shop/database", "--include", "*.dump", "--immutable", "--verbose"]);
      const offsiteRef = (key: string) => secretRef(key, "database-backup-offsite");
      expect(upload.env).toEqual([
        { name: "HOME", value: "/tmp" },
        { name: "RCLONE_CONFIG_OFFSITE_ACCESS_KEY_ID", ...offsiteRef("access-key-id") },
        { name: "RCLONE_CONFIG_OFFSITE_ENDPOINT", value: "https://s3.eu-central-1.amazonaws.com" },
        { name: "RCLONE_CONFIG_OFFSITE_NO_CHECK_BUCKET", value: "true" },
        { name: "RCLONE_CONFIG_OFFSITE_PROVIDER", value: "Other" },
        { name: "RCLONE_CONFIG_OFFSITE_REGION", value: "eu-central-1" },
        { name: "RCLONE_CONFIG_OFFSITE_SECRET_ACCESS_KEY", ...offsiteRef("secret-access-key") },
        { name: "RCLONE_CONFIG_OFFSITE_TYPE", value: "s3" },
      ]);
      expect(upload.volumeMounts).toContainEqual({ name: "backup", mountPath: "/backup" });
    });

    test("the bucket's keys come from the stack's Vault folder, never from git", () => {
      expect(find<any>(offsite().all, "ExternalSecret", "database-backup-offsite").spec.data).toEqual([
        { secretKey: "access-key-id", remoteRef: { key: "prod/web/database-backup-offsite", property: "access-key-id", conversionStrategy: "Default", decodingStrategy: "None", metadataPolicy: "None" } },
        { secretKey: "secret-access-key", remoteRef: { key: "prod/web/database-backup-offsite", property: "secret-access-key", conversionStrategy: "Default", decodingStrategy: "None", metadataPolicy: "None" } },
      ]);
    });

    test("the backup pod may reach the database and the endpoint's networks on its port, nothing else", () => {
      const egress = (extra: object) => find<any>(offsite(extra).all, "NetworkPolicy", "database-backup").spec.egress;
      expect(egress({})).toEqual([
        { to: [{ ipBlock: { cidr: "52.219.168.0/24" } }], ports: [{ port: 443, protocol: "TCP" }] },
        { to: [{ podSelector: { matchLabels: SELECTOR } }], ports: [{ port: 5432, protocol: "TCP" }] },
      ]);
      expect(egress({ endpoint: "https://minio.example.com:9000", cidrs: ["192.0.2.10/32"] })).toContainEqual({
        to: [{ ipBlock: { cidr: "192.0.2.10/32" } }],
        ports: [{ port: 9000, protocol: "TCP" }],
      });
    });

    test("prefix names the folder in the bucket", () => {
      expect(offsite({ prefix: "shop/prod" }).backupPod.containers[0]!.command?.[3]).toBe("offsite:acme-backups/shop/prod");
    });

    test.each<[string, object, string]>([
      [
        "an endpoint in the clear",
        { endpoint: "http://minio.example.com:9000" },
        "Database 'database': 'backup.offsite.endpoint' must be an https:// URL with no path, e.g. https://s3.eu-central-1.amazonaws.com (got 'http://minio.example.com:9000'); the dumps and keys must not cross the network in the clear",
      ],
      [
        "an endpoint with a path (the bucket belongs in 'bucket')",
        { endpoint: "https://s3.example.com/acme-backups" },
        "Database 'database': 'backup.offsite.endpoint' must be an https:// URL with no path, e.g. https://s3.eu-central-1.amazonaws.com (got 'https://s3.example.com/acme-backups'); the dumps and keys must not cross the network in the clear",
      ],
      ["no networks to reach it in", { cidrs: [] }, "Database 'database': 'backup.offsite.cidrs' is empty; list the networks s3.eu-central-1.amazonaws.com resolves to"],
      ["a bucket name S3 refuses", { bucket: "Acme_Backups" }, "Database 'database': 'backup.offsite.bucket' must be an S3 bucket name (3 to 63 lower-case letters, digits, '.' and '-') (got 'Acme_Backups')"],
    ])("refuses %s", (_, extra, message) => {
      expect(errorOf(() => offsite(extra))).toBe(message);
    });

    test("refuses generated credentials: random keys open no bucket", () => {
      const chart = testChart();
      const secrets = new SecretStore(chart, "secret-store", { source: { provider: "generator" } });
      expect(errorOf(() => new Database(chart, "database", { image: IMAGE, secrets, backup: { offsite: OFFSITE } }))).toBe(
        "Database 'database': 'backup.offsite' needs the bucket's credentials from Vault, but this environment's secrets are generated; turn it off here",
      );
    });
    describe("the upload, run by a real rclone (a local folder stands in for the bucket: no S3 server ran here)", () => {
      const RCLONE_HINT = "rclone is not installed: this test runs the rendered upload with it; install it with `apt-get install -y rclone` (.ci/run does)";
      const rclone = (args: readonly string[], env: Record<string, string>, cwd: string) => {
        const run = spawnSync("rclone", args as string[], { cwd, env: { PATH: process.env.PATH, ...env }, encoding: "utf8" });
        if (run.error) throw new Error(`${RCLONE_HINT} (${run.error.message})`);
        return run;
      };
      const rendered = () => {
        const upload = offsite().backupPod.containers[0]!;
        const env = Object.fromEntries((upload.env ?? []).map((v) => [v.name, v.value ?? "secret"]));
        return { command: upload.command!, env };
      };

      test("every option it sets is an option of rclone's s3 backend", () => {
        const home = mkdtempSync(join(tmpdir(), "slipway-rclone-"));
        const help = rclone(["help", "backend", "s3"], { HOME: home }, home).stdout;
        const options = Object.keys(rendered().env)
          .filter((name) => name.startsWith("RCLONE_CONFIG_OFFSITE_") && name !== "RCLONE_CONFIG_OFFSITE_TYPE")
          .map((name) => `--s3-${name.slice("RCLONE_CONFIG_OFFSITE_".length).toLowerCase().replace(/_/g, "-")}`);
        expect(options).toHaveLength(6);
        for (const option of options) expect([option, help.includes(`#### ${option}\n`)]).toEqual([option, true]);
      });

      test("copies the finished dumps the bucket lacks, leaves partial ones, never deletes there, and refuses to overwrite a changed dump", () => {
        const dir = mkdtempSync(join(tmpdir(), "slipway-rclone-"));
        const backupDir = join(dir, "backup");
        mkdirSync(backupDir);
        const { command, env } = rendered();
        // The rendered command and environment, with the remote turned into a local folder and /backup into the test's.
        const args = command.slice(1).map((a) => (a === "/backup" ? backupDir : a));
        const local = { ...env, RCLONE_CONFIG_OFFSITE_TYPE: "local", HOME: dir };
        const bucket = join(dir, "acme-backups/shop/database");
        writeFileSync(join(backupDir, "app-20250101T030000Z.dump"), "one");
        writeFileSync(join(backupDir, "app-20250102T030000Z.dump"), "two");
        writeFileSync(join(backupDir, "app-20250103T030000Z.dump.partial"), "half");
        expect(rclone(args, local, dir).status).toBe(0);
        expect(readdirSync(bucket).sort()).toEqual(["app-20250101T030000Z.dump", "app-20250102T030000Z.dump"]);
        rmSync(join(backupDir, "app-20250101T030000Z.dump"));
        writeFileSync(join(backupDir, "app-20250103T030000Z.dump"), "three");
        expect(rclone(args, local, dir).status).toBe(0);
        expect(readdirSync(bucket).sort()).toEqual(["app-20250101T030000Z.dump", "app-20250102T030000Z.dump", "app-20250103T030000Z.dump"]);
        writeFileSync(join(backupDir, "app-20250102T030000Z.dump"), "tampered");
        const changed = rclone(args, local, dir);
        expect(changed.status).not.toBe(0);
        expect(changed.stderr).toContain("immutable file modified");
        expect(readFileSync(join(bucket, "app-20250102T030000Z.dump"), "utf8")).toBe("two");
      });
    });
  });

  describe("password rotation", () => {
    const podAnnotations = (o: any) => (o.spec.template ?? o.spec.jobTemplate.spec.template).metadata.annotations ?? {};
    function rotated(rotation: number) {
      const chart = testChart();
      const secrets = new SecretStore(chart, "secret-store", { source: VAULT, keyPrefix: "prod/web", rotation });
      const database = new Database(chart, "database", { image: IMAGE, secrets });
      new Api(chart, "api", { image: image("ghcr.io/acme/shop-api") }).connect(database);
      return objects(chart);
    }

    test("bumping the store's rotation rolls the pods that read the application's password, and only those", () => {
      const hash = (all: any[], kind: string, name: string) => podAnnotations(find<any>(all, kind, name))["slipway.dev/secrets-hash"];
      const [before, after] = [rotated(0), rotated(1)];
      for (const [kind, name] of [["Deployment", "api"], ["Job", "database-setup"], ["CronJob", "database-backup"]]) {
        expect(hash(before, kind!, name!)).toMatch(/^[0-9a-f]{64}$/);
        expect(hash(after, kind!, name!)).not.toBe(hash(before, kind!, name!));
      }
      expect(podAnnotations(find<any>(after, "StatefulSet", "database"))).toEqual({});
      expect(find<any>(after, "ExternalSecret", "database-credentials").metadata.annotations).toEqual({ "slipway.dev/rotation": "1" });
      expect(find<any>(after, "ExternalSecret", "database-superuser").metadata.annotations).toBeUndefined();
    });
  });

  describe("MongoDB", () => {
    const MONGO = image("docker.io/library/mongo", "7.0.14");
    const mongo = (props: Partial<DatabaseProps> = {}) => backup({ engine: "mongodb", image: MONGO, ...props });
    const mongoSelector = SELECTOR;

    test("runs one mongod pod as the image's mongodb user (999) on a protected 10Gi volume at /data/db, its cache sized to the container", () => {
      const { statefulSet, postgres: mongod, pod } = mongo();
      expect(statefulSet.metadata?.annotations).toEqual(KEEP_DATA);
      expect(statefulSet.spec?.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
      expect(statefulSet.spec?.volumeClaimTemplates?.[0]?.spec).toEqual({ accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } });
      expect(mongod.volumeMounts).toContainEqual({ name: "data", mountPath: "/data/db" });
      expect(mongod.image).toBe("docker.io/library/mongo:7.0.14");
      expect(mongod.args).toEqual(["--wiredTigerCacheSizeGB", "0.25"]);
      expect(mongod.ports).toEqual([{ name: "mongodb", containerPort: 27017, protocol: "TCP" }]);
      expect(pod.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
      expect(pod.volumes).toEqual([
        { name: "tmp", emptyDir: {} },
        { name: "data-configdb", emptyDir: {} },
      ]);
      expect(mongo({ resources: { cpu: "1", memory: "4Gi" } }).postgres.args).toEqual(["--wiredTigerCacheSizeGB", "1.5"]);
    });

    test("probes the port over TCP, giving recovery five minutes to start", () => {
      const { postgres: mongod } = mongo();
      const tcp = { tcpSocket: { port: "mongodb" } };
      expect(mongod.startupProbe).toEqual({ ...tcp, periodSeconds: 5, failureThreshold: 60, timeoutSeconds: 3 });
      expect(mongod.livenessProbe).toEqual({ ...tcp, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 });
    });

    test("the server knows only root, whose password is read once; the application's URL authenticates against the admin database", () => {
      const { all, postgres: mongod } = mongo();
      expect(mongod.env).toEqual([
        { name: "MONGO_INITDB_ROOT_PASSWORD", ...superuserRef },
        { name: "MONGO_INITDB_ROOT_USERNAME", value: "root" },
      ]);
      expect(find<any>(all, "ExternalSecret", "database-credentials").spec.target.template.data).toEqual({
        url: 'mongodb://app:{{ .password | urlquery | replace "+" "%20" }}@database:27017/app?authSource=admin',
      });
      expect(find<any>(all, "ExternalSecret", "database-superuser").spec.refreshPolicy).toBe("CreatedOnce");
    });

    test("a component connecting to it gets MONGODB_URL and the same as parts, as the application user", () => {
      const { chart, database } = mongo();
      new Api(chart, "api", { image: image("ghcr.io/acme/opa-api") }).connect(database);
      const api = find<IDeployment>(objects(chart), "Deployment", "api");
      expect(api.spec?.template.spec?.containers[0]?.env).toEqual([
        { name: "MONGODB_HOST", value: "database" },
        { name: "MONGODB_NAME", value: "app" },
        { name: "MONGODB_PASSWORD", ...secretRef("password") },
        { name: "MONGODB_PORT", value: "27017" },
        { name: "MONGODB_URL", ...secretRef("url") },
        { name: "MONGODB_USER", value: "app" },
      ]);
      expect(find<any>(objects(chart), "NetworkPolicy", "api").spec.egress).toEqual([
        { to: [{ podSelector: { matchLabels: mongoSelector } }], ports: [{ port: 27017, protocol: "TCP" }] },
      ]);
    });

    test("setup runs mongosh with no shell, as root against the admin database, on every sync", () => {
      const job = find<IJob>(mongo().all, "Job", "database-setup");
      const container = job.spec!.template.spec!.containers[0]!;
      expect(container.command).toEqual(["mongosh", "--nodb", "--quiet", "--eval", mongoSetupScript()]);
      expect(container.env).toEqual([
        { name: "APP_DATABASE", value: "app" },
        { name: "APP_PASSWORD", ...secretRef("password") },
        { name: "APP_USER", value: "app" },
        { name: "HOME", value: "/tmp" },
        { name: "MONGO_HOST", value: "database" },
        { name: "MONGO_PORT", value: "27017" },
        { name: "ROOT_PASSWORD", ...superuserRef },
        { name: "ROOT_USER", value: "root" },
      ]);
      expect(container.resources).toEqual({ requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "256Mi" } });
      expect(job.metadata?.annotations).toEqual({ "argocd.argoproj.io/hook": "Sync", "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation" });
    });

    test("backs up daily with mongodump --archive --gzip as the application user, the URL in a file only the dump can read", () => {
      const { dump, cronJob } = mongo({ backup: { keep: 5 } });
      expect(cronJob.spec?.schedule).toBe("0 3 * * *");
      expect(dump.command).toEqual(["sh", "-c", backupScript(ENGINES.mongodb.dump, 5)]);
      expect(dump.env).toEqual([
        { name: "MONGODB_URL", ...secretRef("url") },
        { name: "MONGO_DATABASE", value: "app" },
      ]);
    });

    describe("its scripts, by exact text (NO REAL mongod RAN: MongoDB has no Debian 12 package, so nothing here connected to a server)", () => {
      // Against a real server: `docker run -d -p 27017:27017 -e MONGO_INITDB_ROOT_USERNAME=root -e MONGO_INITDB_ROOT_PASSWORD=pw mongo:7.0`,
      // then run mongoSetupScript() with `mongosh --nodb --quiet --eval` and MONGO_HOST=127.0.0.1 MONGO_PORT=27017 ROOT_USER=root
      // ROOT_PASSWORD=pw APP_USER=app APP_DATABASE=app APP_PASSWORD=…, twice (idempotent), then backupScript and restoreScript
      // with MONGODB_URL=mongodb://app:…@127.0.0.1:27017/app?authSource=admin (README, "Backups and restore").
      test("setup: create or update the application user in admin, readWrite on its database only", () => {
        expect(mongoSetupScript()).toBe(
          [
            "const env = process.env;",
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
          ].join("\n"),
        );
      });

      test("setup is valid JavaScript (parsed by Node's own parser, as mongosh's is)", () => {
        expect(() => new vm.Script(mongoSetupScript())).not.toThrow();
      });

      test("setup, run against a recording stand-in for mongosh's API (not a server): creates the user once, then only updates it", () => {
        const users = new Map<string, unknown>();
        const calls: string[] = [];
        const admin = {
          runCommand: () => ({ ok: 1 }),
          getUser: (u: string) => users.get(u) ?? null,
          createUser: (spec: { user: string }) => (calls.push(`createUser ${JSON.stringify(spec)}`), users.set(spec.user, spec)),
          updateUser: (u: string, spec: unknown) => calls.push(`updateUser ${u} ${JSON.stringify(spec)}`),
        };
        const urls: string[] = [];
        const env = { MONGO_HOST: "database", MONGO_PORT: "27017", ROOT_USER: "root", ROOT_PASSWORD: "p@ss:/w", APP_USER: "app", APP_DATABASE: "app", APP_PASSWORD: "s3cret" };
        const context = { process: { env }, print: () => undefined, sleep: () => undefined, Mongo: function (url: string) { urls.push(url); return { getDB: () => admin }; } };
        vm.runInNewContext(mongoSetupScript(), { ...context });
        vm.runInNewContext(mongoSetupScript(), { ...context });
        expect(urls[0]).toBe("mongodb://root:p%40ss%3A%2Fw@database:27017/admin");
        const spec = '"pwd":"s3cret","roles":[{"role":"readWrite","db":"app"}]';
        expect(calls).toEqual([`createUser {"user":"app",${spec}}`, `updateUser app {${spec}}`]);
      });

      test("backup: the URL goes into a private file removed on exit, then the archive is written, moved in place and pruned", () => {
        expect(backupScript(ENGINES.mongodb.dump, 7)).toBe(
          [
            "set -eu",
            "umask 077",
            "trap 'rm -f /tmp/mongodump.yaml' EXIT",
            `printf 'uri: "%s"\\n' "$MONGODB_URL" > /tmp/mongodump.yaml`,
            "rm -f /backup/*.archive.gz.partial",
            'file="/backup/${MONGO_DATABASE}-$(date -u +%Y%m%dT%H%M%SZ).archive.gz"',
            'mongodump --config=/tmp/mongodump.yaml --archive="$file.partial" --gzip',
            'mv "$file.partial" "$file"',
            "ls -1t /backup/*.archive.gz | tail -n +8 | xargs -r rm --",
          ].join("\n"),
        );
      });

      test("restore: mongorestore drops and restores the application's collections from the archive", () => {
        expect(restoreScript(ENGINES.mongodb.dump).split("\n").at(-1)).toBe(
          'mongorestore --config=/tmp/mongodump.yaml --nsInclude="${MONGO_DATABASE}.*" --drop --archive="$DUMP" --gzip',
        );
      });

      test("the dump's shell parts run under a real sh with stand-ins for mongodump: the file holds the URL, is private, and is gone after", () => {
        const dir = mkdtempSync(join(tmpdir(), "slipway-mongo-"));
        const bin = join(dir, "bin");
        mkdirSync(bin);
        writeFileSync(join(bin, "mongodump"), '#!/bin/sh\ncat /tmp/mongodump.yaml > "$(dirname "$0")/seen"\nstat -c %a /tmp/mongodump.yaml >> "$(dirname "$0")/seen"\nprintf archive > "${2#--archive=}"\n', { mode: 0o755 });
        const script = backupScript(ENGINES.mongodb.dump, 7, join(dir, "backup"));
        mkdirSync(join(dir, "backup"));
        const run = spawnSync("sh", ["-c", script], { env: { PATH: `${bin}:${process.env.PATH}`, MONGODB_URL: "mongodb://app:a%22b@database:27017/app?authSource=admin", MONGO_DATABASE: "app" }, encoding: "utf8" });
        expect([run.status, run.stderr]).toEqual([0, ""]);
        expect(readFileSync(join(bin, "seen"), "utf8")).toBe('uri: "mongodb://app:a%22b@database:27017/app?authSource=admin"\n600\n');
        expect(existsSync("/tmp/mongodump.yaml")).toBe(false);
        expect(readdirSync(join(dir, "backup"))).toEqual([expect.stringMatching(/^app-\d{8}T\d{6}Z\.archive\.gz$/)]);
      });
    });
  });

  test("an image upgrade leaves the immutable volumeClaimTemplates unchanged", () => {
    const templates = (tag: string) => render({ image: image("docker.io/library/postgres", tag) }).statefulSet.spec?.volumeClaimTemplates;
    expect(templates("16.5")).toEqual(templates("16.4"));
  });
});

describe("the database's scripts against a real PostgreSQL", () => {
  let server: PostgresServer;
  const superuser = () => server.env("postgres", "superuser", "postgres");
  const setup = (password: string) =>
    server.sh(postgresSetupScript(), { ...superuser(), APP_ROLE: "app", APP_DATABASE: "app", APP_PASSWORD: password });

  beforeAll(async () => {
    server = await PostgresServer.start();
  }, 60_000);
  afterAll(() => server?.stop());

  test("setup creates the application role, not a superuser, owning its database", () => {
    const run = setup("s3cret pass'word");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(server.query("SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolcanlogin FROM pg_roles WHERE rolname = 'app'", superuser())).toBe("app|f|f|f|t");
    expect(server.query("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'app'", superuser())).toBe("app");
    expect(server.query("SELECT current_user", server.env("app", "s3cret pass'word", "app"))).toBe("app");
  });

  test("setup is idempotent, and a rotated password takes effect on the next run", () => {
    expect(setup("s3cret pass'word").status).toBe(0);
    expect(setup("rotated:@/%").status).toBe(0);
    expect(server.query("SELECT current_user", server.env("app", "rotated:@/%", "app"))).toBe("app");
    expect(server.sh('psql -Atc "SELECT 1"', server.env("app", "s3cret pass'word", "app")).status).not.toBe(0);
  });

  test("a backup as the application role keeps only the newest dumps, and the README's restore puts the newest back over later changes", () => {
    const app = server.env("app", "rotated:@/%", "app");
    server.query("CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders VALUES (1, 'tea'), (2, 'scones')", app);
    const dir = server.folder("backup");
    for (let i = 0; i < 3; i++) {
      const run = server.sh(`${backupScript(PG_DUMP, 2, dir)}\nsleep 1`, app);
      expect([run.status, run.stderr]).toEqual([0, ""]);
    }
    const dumps = server.sh(`ls -1 ${dir}`, {}).stdout.trim().split("\n");
    expect(dumps).toHaveLength(2);
    expect(dumps.every((d) => /^app-\d{8}T\d{6}Z\.dump$/.test(d))).toBe(true);
    server.query("DELETE FROM orders WHERE id = 2; INSERT INTO orders VALUES (3, 'cake'); ALTER TABLE orders ADD COLUMN note text", app);
    // README, "Backups and restore": the newest dump, restored as the application role into its own database.
    const newest = server.sh(`ls -1t ${dir}/*.dump | head -n 1`, {}).stdout.trim();
    const restore = server.sh(restoreScript(PG_DUMP), { ...app, DUMP: newest });
    expect([restore.status, restore.stderr]).toEqual([0, ""]);
    expect(server.query("SELECT * FROM orders ORDER BY id", app)).toBe("1|tea\n2|scones");
  });

  test("a restore that fails changes nothing", () => {
    const app = server.env("app", "rotated:@/%", "app");
    const broken = `${server.folder("broken")}/app-broken.dump`;
    server.sh(`printf 'not a dump' > ${broken}`, {});
    expect(server.sh(restoreScript(PG_DUMP), { ...app, DUMP: broken }).status).not.toBe(0);
    expect(server.query("SELECT * FROM orders ORDER BY id", app)).toBe("1|tea\n2|scones");
  });
});
