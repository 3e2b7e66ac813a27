import type { IStatefulSet } from "kubernetes-models/apps/v1";
import type { ICronJob, IJob } from "kubernetes-models/batch/v1";
import type { IPersistentVolumeClaim, IService, IServiceAccount } from "kubernetes-models/v1";
import type { IDeployment } from "kubernetes-models/apps/v1";
import { Api } from "../../constructs/api";
import { backupScript, Database, setupScript, type DatabaseProps } from "../../constructs/database";
import { SecretStore } from "../../constructs/secret-store";
import { errorOf, find, image, kindsAndNames, objects, testChart, VAULT } from "../support/chart";
import { PostgresServer } from "../support/postgres";

const IMAGE = image("docker.io/library/postgres", "16.4");
const SELECTOR = { "app.kubernetes.io/name": "database", "app.kubernetes.io/instance": "web" };
const KEEP_DATA = { "argocd.argoproj.io/sync-options": "Prune=false,Delete=false" };
const secretRef = (key: string) => ({ valueFrom: { secretKeyRef: { name: "database-credentials", key } } });
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

describe("Database", () => {
  test("renders its policy, credentials, account, StatefulSet and headless Service, a setup Job, and a backup volume and CronJob", () => {
    expect(kindsAndNames(render().all).filter((n) => !n.endsWith("/secret-store") && !n.endsWith("/vault"))).toEqual([
      "NetworkPolicy/database",
      "ExternalSecret/database-credentials",
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
    test("come from the stack's store: the application role's password, the superuser's, and a URL with the password URL-encoded", () => {
      const { all } = render();
      expect(find<any>(all, "ExternalSecret", "database-credentials").spec).toEqual({
        refreshInterval: "1h",
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
        data: [
          { secretKey: "password", remoteRef: { key: "prod/web/database-credentials", property: "password" } },
          { secretKey: "superuser-password", remoteRef: { key: "prod/web/database-credentials", property: "superuser-password" } },
        ],
      });
    });

    test("the server knows only the superuser, by Secret reference, with its data in a PGDATA subdirectory", () => {
      expect(render().postgres.env).toEqual([
        { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
        { name: "POSTGRES_PASSWORD", ...secretRef("superuser-password") },
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
      expect(container.command).toEqual(["sh", "-c", setupScript()]);
      expect(container.env).toEqual([
        { name: "APP_DATABASE", value: "app" },
        { name: "APP_PASSWORD", ...secretRef("password") },
        { name: "APP_ROLE", value: "app" },
        { name: "PGDATABASE", value: "postgres" },
        { name: "PGHOST", value: "database" },
        { name: "PGPASSWORD", ...secretRef("superuser-password") },
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
      expect(dump.command).toEqual(["sh", "-c", backupScript(7)]);
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
      expect(backupScript(7)).toBe(
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
      expect(backupScript(1).split("\n").at(-1)).toBe("ls -1t /backup/*.dump | tail -n +2 | xargs -r rm --");
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
        "Database 'database': 'backup.schedule': expected a cron schedule such as '0 3 * * *' or @daily, got '0 3 * *' (4 field(s); a schedule has five: minute hour day-of-month month day-of-week)",
      ],
      [
        "a schedule that never fires",
        { backup: { schedule: "0 3 31 2 *" } },
        "Database 'database': 'backup.schedule': expected a cron schedule that fires, got '0 3 31 2 *', which matches no date",
      ],
      ["keeping no dump", { backup: { keep: 0 } }, "Database 'database': 'backup.keep' must be an integer ≥ 1 (got 0)"],
      ["keeping a fraction of a dump", { backup: { keep: 2.5 } }, "Database 'database': 'backup.keep' must be an integer ≥ 1 (got 2.5)"],
      [
        "a database name that is no DNS label",
        { databaseName: "Orders_DB" },
        "Database 'database': 'databaseName' must be a DNS label (lower-case letters, digits and '-', at most 63) (got 'Orders_DB')",
      ],
    ])("refuses %s", (_, props, message) => {
      expect(errorOf(() => render(props))).toBe(message);
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
    server.sh(setupScript(), { ...superuser(), APP_ROLE: "app", APP_DATABASE: "app", APP_PASSWORD: password });

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

  test("a backup as the application role restores into a fresh database, and only the newest dumps are kept", () => {
    const app = server.env("app", "rotated:@/%", "app");
    server.query("CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders VALUES (1, 'tea'), (2, 'scones')", app);
    const dir = server.folder("backup");
    for (let i = 0; i < 3; i++) {
      const run = server.sh(`${backupScript(2, dir)}\nsleep 1`, app);
      expect([run.status, run.stderr]).toEqual([0, ""]);
    }
    const dumps = server.sh(`ls -1 ${dir}`, {}).stdout.trim().split("\n");
    expect(dumps).toHaveLength(2);
    expect(dumps.every((d) => /^app-\d{8}T\d{6}Z\.dump$/.test(d))).toBe(true);
    // The README's restore steps: a database owned by the application role, then pg_restore the newest dump into it.
    server.query("CREATE DATABASE restored OWNER app", superuser());
    const restore = server.sh(`pg_restore --no-owner --dbname=restored "${dir}/$(ls -1t ${dir} | head -n 1)"`, app);
    expect([restore.status, restore.stderr]).toEqual([0, ""]);
    expect(server.query("SELECT item FROM orders ORDER BY id", server.env("app", "rotated:@/%", "restored"))).toBe("tea\nscones");
  });
});
