import { cronProblem, timeZoneProblem, type CronReader } from "../../lib/cron";
import { defineRule } from "../lib/rule";
import { record, records, text } from "../lib/values";

/** A schedule, the zone it is read in and who reads it, with the field path of the object holding both. */
interface Schedule {
  readonly path: string;
  readonly reader: CronReader;
  readonly spec: Record<string, unknown>;
}

export const cronSchedules = defineRule({
  id: "cron-schedules",
  title: "A CronJob's or sync window's schedule is cron its reader parses and that fires, in a time zone that exists",
  kinds: ["CronJob", "AppProject"],
  check(object) {
    const spec = record(object.spec);
    if (!spec) return undefined;
    const schedules: Schedule[] =
      object.kind === "CronJob"
        ? [{ path: "spec", reader: "cronjob", spec }]
        : records(spec, "spec", "syncWindows").map((w) => ({ path: w.path, reader: "sync-window", spec: w.value }));
    return schedules.flatMap(({ path, reader, spec: s }) => {
      const schedule = text(s.schedule);
      const zone = text(s.timeZone);
      const scheduleProblem = schedule === undefined ? undefined : cronProblem(schedule, reader);
      const zoneProblem = zone === undefined ? undefined : timeZoneProblem(zone);
      return [
        scheduleProblem === undefined ? undefined : { field: `${path}.schedule`, message: scheduleProblem },
        zoneProblem === undefined ? undefined : { field: `${path}.timeZone`, message: zoneProblem },
      ];
    });
  },
  rationale:
    "The API server refuses a CronJob whose schedule robfig/cron cannot parse or whose timeZone it cannot load, and accepts one that matches no date (31 February), which then never runs. Argo CD reads a sync window with an unknown time zone in UTC, logging only a warning, so a freeze opens at the wrong hour. Schedules are read as robfig/cron v3 reads them (croner does the calendar), zones checked against Intl's IANA list: the same check the environment schema and the constructs make (lib/cron.ts).",
  link: "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax",
});
