import type { IStatefulSet } from "kubernetes-models/apps/v1";
import type { ICronJob } from "kubernetes-models/batch/v1";
import type { IPersistentVolumeClaim, IService, IServiceAccount } from "kubernetes-models/v1";
import { backupScript, Database, type DatabaseProps } from "../../constructs/database";
import { errorOf, find, image, kindsAndNames, objects, testChart } from "../support/chart";

const IMAGE = image("docker.io/library/postgres", "16.4");
const PASSWORD = { name: "database-credentials", key: "password" };
const SELECTOR = { "app.kubernetes.io/name": "database", "app.kubernetes.io/instance": "web" };
const KEEP_DATA = { "argocd.argoproj.io/sync-options": "Prune=false,Delete=false" };
const PASSWORD_REF = { valueFrom: { secretKeyRef: { name: "database-credentials", key: "password" } } };
const PG_ISREADY = { exec: { command: ["sh", "-c", 'pg_isready -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"'] } };

function render(props: Partial<DatabaseProps> = {}) {
  const chart = testChart();
  const database = new Database(chart, "database", { image: IMAGE, password: PASSWORD, ...props });
  const all = objects(chart);
  const statefulSet = find<IStatefulSet>(all, "StatefulSet", "database");
  const pod = statefulSet.spec!.template.spec!;
  return { database, all, statefulSet, pod, postgres: pod.containers[0]! };
}

function backup(props: Partial<DatabaseProps> = {}) {
  const rendered = render(props);
  const cronJob = find<ICronJob>(rendered.all, "CronJob", "database-backup");
  const pod = cronJob.spec!.jobTemplate.spec!.template.spec!;
  return { ...rendered, cronJob, backupPod: pod, dump: pod.containers[0]! };
}

describe("Database", () => {
  test("renders a ServiceAccount, a headless Service, the StatefulSet, and a backup volume, account and CronJob", () => {
    expect(kindsAndNames(render().all)).toEqual([
      "ServiceAccount/database",
      "Service/database",
      "StatefulSet/database",
      "PersistentVolumeClaim/database-backup",
      "ServiceAccount/database-backup",
      "CronJob/database-backup",
    ]);
  });

  test("prod database keeps its volume when the stack is deleted", () => {
    const { statefulSet } = render();
    expect(statefulSet.spec?.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
    expect(statefulSet.metadata?.annotations).toEqual(KEEP_DATA);
    expect(statefulSet.spec?.volumeClaimTemplates?.map((t) => [t.metadata?.name, t.metadata?.annotations])).toEqual([["data", KEEP_DATA]]);
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

  test("creates the database 'app' owned by the user 'app', the password only by Secret reference, data in a PGDATA subdirectory", () => {
    const { postgres, database } = render();
    expect(database.databaseName).toBe("app");
    expect(postgres.env).toEqual([
      { name: "POSTGRES_USER", value: "app" },
      { name: "POSTGRES_DB", value: "app" },
      { name: "POSTGRES_PASSWORD", ...PASSWORD_REF },
      { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
    ]);
  });

  test("databaseName names the database and its user", () => {
    const { postgres, database } = render({ databaseName: "orders" });
    expect(database.databaseName).toBe("orders");
    expect(postgres.env?.filter((v) => v.name === "POSTGRES_USER" || v.name === "POSTGRES_DB")).toEqual([
      { name: "POSTGRES_USER", value: "orders" },
      { name: "POSTGRES_DB", value: "orders" },
    ]);
  });

  test("probes with pg_isready over TCP, giving initdb and recovery five minutes to start", () => {
    const { postgres } = render();
    expect(postgres.startupProbe).toEqual({ ...PG_ISREADY, periodSeconds: 5, failureThreshold: 60, timeoutSeconds: 3 });
    expect(postgres.readinessProbe).toEqual({ ...PG_ISREADY, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 });
    expect(postgres.livenessProbe).toEqual({ ...PG_ISREADY, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 });
  });

  test("runs as the postgres user (999) with 250m CPU and 512Mi by default, writing to its socket directory and /tmp", () => {
    const { postgres, pod } = render();
    expect(postgres.name).toBe("postgres");
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
    const { all } = render();
    expect(find<IServiceAccount>(all, "ServiceAccount", "database").automountServiceAccountToken).toBe(false);
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

    test("keeps the dumps on a volume of their own, protected like the data, sized like the data volume by default", () => {
      const { all, backupPod, dump } = backup({ storage: { size: "20Gi", storageClassName: "fast-ssd" } });
      const pvc = find<IPersistentVolumeClaim>(all, "PersistentVolumeClaim", "database-backup");
      expect(pvc.metadata?.annotations).toEqual(KEEP_DATA);
      expect(pvc.spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "fast-ssd", resources: { requests: { storage: "20Gi" } } });
      expect(backupPod.volumes).toContainEqual({ name: "backup", persistentVolumeClaim: { claimName: "database-backup" } });
      expect(dump.volumeMounts).toContainEqual({ name: "backup", mountPath: "/backup" });
    });

    test("backup.storage sizes the dump volume", () => {
      const { all } = backup({ backup: { storage: { size: "200Gi" } } });
      expect(find<IPersistentVolumeClaim>(all, "PersistentVolumeClaim", "database-backup").spec?.resources?.requests?.storage).toBe("200Gi");
    });

    test("runs pg_dump from the database image, keeping 7 dumps, connecting through the Service with the password by reference", () => {
      const { dump } = backup();
      expect(dump.name).toBe("pg-dump");
      expect(dump.image).toBe("docker.io/library/postgres:16.4");
      expect(dump.command).toEqual(["sh", "-c", backupScript(7)]);
      expect(dump.env).toEqual([
        { name: "PGHOST", value: "database" },
        { name: "PGPORT", value: "5432" },
        { name: "PGUSER", value: "app" },
        { name: "PGDATABASE", value: "app" },
        { name: "PGPASSWORD", ...PASSWORD_REF },
      ]);
      expect(dump.resources).toEqual({ requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "256Mi" } });
    });

    test("schedule and keep are passed to the CronJob and the script", () => {
      const { cronJob, dump } = backup({ backup: { schedule: "30 2 * * *", keep: 14 } });
      expect(cronJob.spec?.schedule).toBe("30 2 * * *");
      expect(dump.command?.[2]).toContain("tail -n +15 ");
    });

    test("is a backup component with its own ServiceAccount, restarted on failure", () => {
      const { all, cronJob, backupPod, database } = backup();
      const labels = { "app.kubernetes.io/name": "database-backup", "app.kubernetes.io/instance": "web", "app.kubernetes.io/component": "backup", "app.kubernetes.io/version": "16.4" };
      expect(cronJob.spec?.jobTemplate.spec?.template.metadata?.labels).toEqual(labels);
      expect(find<IServiceAccount>(all, "ServiceAccount", "database-backup").automountServiceAccountToken).toBe(false);
      expect(backupPod.serviceAccountName).toBe("database-backup");
      expect(backupPod.restartPolicy).toBe("OnFailure");
      expect(database.backupJob).toEqual({ name: "database-backup", selector: { "app.kubernetes.io/name": "database-backup", "app.kubernetes.io/instance": "web" }, ports: {} });
    });

    test("backup: false renders no CronJob, no dump volume and no backup account", () => {
      const { all, database } = render({ backup: false });
      expect(kindsAndNames(all)).toEqual(["ServiceAccount/database", "Service/database", "StatefulSet/database"]);
      expect(database.backupJob).toBeUndefined();
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
      ["a storage size that is no quantity", { storage: { size: "10GB" } }, "Database 'database': 'storage.size' must be a Kubernetes quantity such as 10Gi (got '10GB')"],
      [
        "a backup storage size that is no quantity",
        { backup: { storage: { size: "lots" } } },
        "Database 'database': 'backup.storage.size' must be a Kubernetes quantity such as 10Gi (got 'lots')",
      ],
      [
        "a schedule that is neither five-field cron nor a macro",
        { backup: { schedule: "0 3 * *" } },
        "Database 'database': 'backup.schedule' must be a cron schedule such as '0 3 * * *' or @daily (got '0 3 * *')",
      ],
      ["keeping no dump", { backup: { keep: 0 } }, "Database 'database': 'backup.keep' must be an integer ≥ 1 (got 0)"],
      ["keeping a fraction of a dump", { backup: { keep: 2.5 } }, "Database 'database': 'backup.keep' must be an integer ≥ 1 (got 2.5)"],
    ])("refuses %s", (_, props, message) => {
      expect(errorOf(() => render(props))).toBe(message);
    });
  });

  test("an image upgrade leaves the immutable volumeClaimTemplates unchanged", () => {
    const templates = (tag: string) => render({ image: image("docker.io/library/postgres", tag) }).statefulSet.spec?.volumeClaimTemplates;
    expect(templates("16.5")).toEqual(templates("16.4"));
  });
});
