/**
 * Cron schedules, read by a real cron parser (croner) with the rules of the programs that run them. Pure,
 * shared by the environment schema, the constructs and the validation gate.
 */
import { Cron } from "croner";

/** A CronJob schedule's shape as Kubernetes accepts it: five fields, or one of its macros. */
export const CRON_SCHEDULE = /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$/;

/** What every message about a schedule offers instead. */
export const CRON_EXAMPLE = "a cron schedule such as '0 3 * * *' or @daily";

const FIELDS = ["minute", "hour", "day-of-month", "month", "day-of-week"] as const;

/**
 * A five-field cron schedule read in an IANA time zone, as Argo CD's sync windows (robfig/cron) and
 * Kubernetes CronJobs read it: a day-of-month and a day-of-week both restricted match either (Vixie cron's
 * OR). croner does the calendar and time-zone work, daylight-saving changes included. Throws croner's
 * message when the schedule is not five valid fields; an unknown time zone throws on first evaluation.
 */
export function cronSchedule(schedule: string, timeZone: string): Cron {
  return new Cron(schedule, { timezone: timeZone, mode: "5-part", domAndDow: false });
}

/**
 * Why the Kubernetes CronJob controller would refuse `schedule`, or would never run it; undefined for a
 * schedule that runs. Kubernetes reads schedules with robfig/cron v3 (`cron.ParseStandard`): five fields or
 * a macro, `*`, `?`, lists, ranges, steps and three-letter names, day-of-week 0–6, and a day-of-month and a
 * day-of-week both restricted match either. croner reads the same and more (`L`, `W`, `#`, day-of-week 7),
 * so those are refused first; croner then parses the fields and searches the calendar for a first run:
 * `0 0 31 2 *` (31 February) parses, but has none.
 */
export function cronScheduleProblem(schedule: string): string | undefined {
  if (!CRON_SCHEDULE.test(schedule)) return "expected five fields (minute hour day-of-month month day-of-week) or a macro such as @daily";
  if (!schedule.startsWith("@")) {
    const fields = schedule.trim().split(/\s+/);
    for (const [i, field] of fields.entries()) {
      const extension = /[LW#]/i.exec(field.replace(/[a-z]+/gi, (word) => (NAMES.has(word.toLowerCase()) ? "0" : word)));
      if (extension) return `${FIELDS[i]} '${field}' uses '${extension[0]}', which Kubernetes' cron does not read`;
    }
    if (/(^|[,-])7($|[,/-])/.test(fields[4]!)) return `day-of-week '${fields[4]}' is outside 0–6 (Sunday is 0 or SUN)`;
  }
  let cron: Cron;
  try {
    cron = new Cron(schedule, { timezone: "Etc/UTC", mode: "5-part", domAndDow: false, sloppyRanges: true, paused: true });
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    const range = /^CronPattern: Invalid value for (\w+):/.exec(e.message);
    const field = range && RANGES[range[1]!];
    if (!field) return e.message.replace(/^CronPattern: /, "");
    const i = FIELDS.indexOf(field.name);
    return `${field.name} '${schedule.trim().split(/\s+/)[i]}' is outside ${field.range}`;
  }
  // From a fixed instant, so the answer never depends on the clock; 29 February comes within four years.
  return cron.nextRun(new Date(Date.UTC(2000, 0, 1))) ? undefined : "it never runs: no date matches its day-of-month and month";
}

/** croner's names of the fields it range-checks (its days and months count from 0), and the ranges robfig/cron reads. */
const RANGES: Record<string, { name: (typeof FIELDS)[number]; range: string }> = {
  minute: { name: "minute", range: "0–59" },
  hour: { name: "hour", range: "0–23" },
  day: { name: "day-of-month", range: "1–31" },
  month: { name: "month", range: "1–12" },
};

/** Month and weekday names robfig/cron reads (case-insensitive). */
const NAMES = new Set(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "sun", "mon", "tue", "wed", "thu", "fri", "sat"]);
