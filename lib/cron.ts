/**
 * Cron schedules and the time zones they are read in, checked as the programs that run them read them, so
 * the environment schema, the constructs and the validation gate refuse exactly what those would:
 *
 * - Kubernetes CronJobs: robfig/cron's standard parser (five fields, or a macro such as @daily), and a
 *   `timeZone` Go's time.LoadLocation knows, never `Local`
 *   (kubernetes/pkg/apis/batch/validation/validation.go: validateScheduleFormat, validateTimeZone).
 * - Argo CD sync windows: the same parser without macros (SyncWindow.Validate in
 *   argo-cd/pkg/apis/application/v1alpha1/types.go). An unknown time zone there is no error: Argo CD logs a
 *   warning and reads the schedule in UTC, so a freeze would open at the wrong hour.
 *
 * croner parses and does the calendar; on top of it this refuses what croner accepts but robfig/cron does not
 * (Quartz's `L`, `W` and `#`, a day-of-week of 7) and schedules that match no date at all (`0 0 31 2 *`),
 * which both programs accept and then never run.
 */
import { Cron } from "croner";
import { quoted } from "./errors";

/** Who reads the schedule: a Kubernetes CronJob (macros allowed) or an Argo CD sync window (five fields only). */
export type CronReader = "cronjob" | "sync-window";

const EXPECTED: Record<CronReader, string> = {
  cronjob: "a cron schedule such as '0 3 * * *' or @daily",
  "sync-window": "a five-field cron schedule such as '0 16 * * 5'",
};

/** The shape of a schedule, for editors' JSON Schema only (a hint as they type): cronProblem decides. */
export const CRON_SHAPE: Record<CronReader, string> = {
  cronjob: "^\\s*(@[a-zA-Z]+|(\\S+\\s+){4}\\S+)\\s*$",
  "sync-window": "^\\s*(\\S+\\s+){4}\\S+\\s*$",
};

/** robfig/cron's descriptors that name a schedule (its `@every <duration>` is not cron, and not offered). */
const MACROS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

/** The five fields in order, with the values robfig/cron accepts in each (names in any case). */
const FIELDS = [
  { name: "minute", max: 59, range: "0-59" },
  { name: "hour", max: 23, range: "0-23" },
  { name: "day-of-month", max: 31, range: "1-31" },
  { name: "month", max: 12, range: "1-12 or JAN-DEC" },
  { name: "day-of-week", max: 6, range: "0-6 or SUN-SAT" },
] as const;

/**
 * One item of a field's comma-separated list as robfig/cron reads it: `*` or `?` (any), a value, or a range,
 * each optionally stepped by `/n` (`1-5/2`; `5/15` is "from 5, every 15"). Values are numbers or three-letter
 * names; anything else (`L`, `15W`, `5#2`) is Quartz syntax robfig/cron refuses.
 */
const ITEM = /^(?:[*?]|([0-9]+|[a-z]{3})(?:-([0-9]+|[a-z]{3}))?)(?:\/[0-9]+)?$/i;

/**
 * How croner reads what robfig/cron reads: five fields, a day-of-month and a day-of-week both restricted match
 * either day (Vixie cron's OR), and `5/15` as "from 5, every 15".
 */
const CRONER_OPTIONS = { mode: "5-part", domAndDow: false, sloppyRanges: true, paused: true } as const;

/** robfig/cron's `?` is `*`; croner would read it as "the current minute" in the time fields. */
const forCroner = (schedule: string) =>
  schedule
    .trim()
    .split(/\s+/)
    .map((field) => (field === "?" ? "*" : field))
    .join(" ");

/**
 * A five-field cron schedule read in an IANA time zone, as Argo CD's sync windows (robfig/cron) and
 * Kubernetes CronJobs read it: a day-of-month and a day-of-week both restricted match either (Vixie cron's
 * OR). croner does the calendar and time-zone work, daylight-saving changes included. Check the schedule and
 * zone first (cronProblem, timeZoneProblem): this throws croner's message on what they refuse.
 */
export function cronSchedule(schedule: string, timeZone: string): Cron {
  return new Cron(forCroner(schedule), { ...CRONER_OPTIONS, timezone: timeZone });
}

/** Why one field is not what robfig/cron accepts, or undefined when it is. */
function fieldProblem(text: string, index: number): string | undefined {
  const field = FIELDS[index]!;
  const invalid = `${field.name} '${text}' is invalid: expected ${field.range}`;
  for (const item of text.split(",")) {
    const m = ITEM.exec(item);
    if (!m) return invalid;
    // croner reads a day-of-week of 7 as Sunday; robfig/cron, and so the API server, refuses it.
    const numbers = [m[1], m[2]].filter((v) => v !== undefined && /^[0-9]+$/.test(v)).map(Number);
    if (numbers.some((n) => n > field.max)) return invalid;
  }
  // The field alone, every other one `*`: croner's verdict on ranges, steps and names is about this field only.
  const alone = FIELDS.map((_, i) => (i === index ? text : "*")).join(" ");
  try {
    new Cron(forCroner(alone), CRONER_OPTIONS);
  } catch (e) {
    if (e instanceof TypeError || e instanceof RangeError) return invalid;
    throw e;
  }
  return undefined;
}

/**
 * Why `schedule` would be refused, or never run, where `reader` reads it, in a few words (`minute '99' is
 * invalid: expected 0-59`); undefined for a schedule that fires. For a whole message, see cronProblem.
 */
export function cronScheduleProblem(schedule: string, reader: CronReader = "cronjob"): string | undefined {
  const text = schedule.trim();
  if (/^(CRON_)?TZ=/.test(text)) return reader === "cronjob" ? "a time zone goes in timeZone, not in the schedule" : "a time zone goes in timeZone";
  if (text.startsWith("@")) {
    if (reader === "sync-window") return "Argo CD sync windows take no macros";
    return MACROS.includes(text.toLowerCase()) ? undefined : `the macros are ${MACROS.join(", ")}`;
  }
  const fields = text.split(/\s+/);
  if (fields.length !== FIELDS.length) return `${fields.length} field(s); a schedule has five: ${FIELDS.map((f) => f.name).join(" ")}`;
  for (const [i, field] of fields.entries()) {
    const problem = fieldProblem(field, i);
    if (problem) return problem;
  }
  // From a fixed instant, so the answer never depends on the clock; a 29 February comes within eight years.
  if (cronSchedule(text, "UTC").nextRun(NEVER_BEFORE) === null) return "it never runs: no date matches its day-of-month and month";
  return undefined;
}

/** Where the search for a schedule's first run starts. */
const NEVER_BEFORE = new Date(Date.UTC(2000, 0, 1));

/** Why `schedule` would be refused, or never run, where `reader` reads it, as a message: `expected …, got '…' (why)`. */
export function cronProblem(schedule: string, reader: CronReader): string | undefined {
  const problem = cronScheduleProblem(schedule, reader);
  return problem && `expected ${EXPECTED[reader]}, got ${quoted(schedule)} (${problem})`;
}

/** What every time-zone message offers. */
const ZONE_EXPECTED = "an IANA time zone such as Europe/Berlin or UTC";

/** The zones Intl lists, by their lower-case spelling, to tell a misspelt case from an unknown zone. */
let listed: Map<string, string> | undefined;

/**
 * Why `zone` is not a time zone Kubernetes and Argo CD resolve, or undefined when it is. The zone list is
 * Intl's (ICU's copy of the IANA database), not a pattern: a zone Intl does not know is refused, and so is
 * `Local` (the controller's own zone) and a UTC offset such as `+01:00` (not a zone name). Names are
 * case-sensitive, as Go's time.LoadLocation reads them from files: `europe/berlin` is refused, naming
 * `Europe/Berlin`. An alias (`US/Eastern`, `Etc/UTC`) is accepted, as Go accepts it; ICU resolves an alias
 * to its zone (Node 20 to 24), so the case of an alias is not checked.
 */
export function timeZoneProblem(zone: string): string | undefined {
  const unknown = `expected ${ZONE_EXPECTED}, got ${quoted(zone)}`;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch (e) {
    if (e instanceof RangeError) return unknown;
    throw e;
  }
  if (/^[+-]/.test(resolved)) return unknown;
  listed ??= new Map(Intl.supportedValuesOf("timeZone").map((z) => [z.toLowerCase(), z]));
  const spelling = listed.get(zone.toLowerCase()) ?? (resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone);
  if (spelling !== zone) return `expected '${spelling}' (time zone names are case-sensitive), got ${quoted(zone)}`;
  return undefined;
}
