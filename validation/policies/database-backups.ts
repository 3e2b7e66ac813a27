import { cronScheduleProblem } from "../../lib/cron";
import type { KubeObject } from "../../lib/kube-object";
import { defineRule } from "../lib/rule";
import { containers, podSpec } from "../lib/pods";
import { parseImage } from "../lib/images";
import { at, kindName, text } from "../lib/values";

export const BACKUP_OF = "slipway.dev/backup-of";

/** Database servers recognised by image when a third-party object does not carry our component label. */
const DATABASE_IMAGES = new Set(["postgres", "postgresql", "mysql", "mariadb", "mongo", "mongodb", "cockroach", "couchdb", "cassandra", "clickhouse-server", "influxdb"]);

/** A database: labelled `app.kubernetes.io/component: database`, or a StatefulSet running a known database image. */
export function isDatabase(object: KubeObject): boolean {
  if (object.kind !== "StatefulSet" && object.kind !== "Deployment") return false;
  if (object.metadata?.labels?.["app.kubernetes.io/component"] === "database") return true;
  const pod = podSpec(object);
  if (object.kind !== "StatefulSet" || !pod) return false;
  return containers(pod, ["containers"]).some((c) => {
    const image = text(c.container.image);
    return image !== undefined && DATABASE_IMAGES.has(parseImage(image).repository.split("/").pop()!);
  });
}

export const databaseBackups = defineRule({
  id: "database-backups",
  title: "Every database has a backup CronJob where the environment requires backups (prod)",
  check(object, { profile, scope }) {
    if (!profile.requireBackups || !isDatabase(object)) return undefined;
    const name = object.metadata?.name;
    const jobs = scope.ofKind("CronJob").filter((j) => j.metadata?.annotations?.[BACKUP_OF] === name);
    const idle = jobs.map((j) => {
      if (at(j, "spec", "suspend") === true) return `suspended ${kindName(j)}`;
      const schedule = String(at(j, "spec", "schedule"));
      const problem = cronScheduleProblem(schedule);
      return problem && `${kindName(j)}, whose schedule '${schedule}' Kubernetes would not run (${problem})`;
    });
    if (idle.some((why) => why === undefined)) return undefined;
    const found = jobs.length ? `found only ${idle.join(", ")}` : "found none";
    return { field: "metadata.name", message: `expected a CronJob in ${scope.describeNamespace()} annotated ${BACKUP_OF}: ${name}, ${found}` };
  },
  rationale:
    "Volumes protect against deleting a workload, not against a bad migration, a dropped table or a lost disk. " +
    `The backup is a CronJob in the same namespace annotated ${BACKUP_OF}: <database name>, not suspended, on a schedule Kubernetes accepts and that runs.`,
  link: "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/",
});
