import { Cron } from "croner";

/** A CronJob schedule as Kubernetes accepts it: five fields, or one of its macros. Pure, shared with the environment schema. */
export const CRON_SCHEDULE = /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$/;

/**
 * A five-field cron schedule read in an IANA time zone, as Argo CD's sync windows (robfig/cron) and
 * Kubernetes CronJobs read it: a day-of-month and a day-of-week both restricted match either (Vixie cron's
 * OR). croner does the calendar and time-zone work, daylight-saving changes included. Throws croner's
 * message when the schedule is not five valid fields; an unknown time zone throws on first evaluation.
 */
export function cronSchedule(schedule: string, timeZone: string): Cron {
  return new Cron(schedule, { timezone: timeZone, mode: "5-part", domAndDow: false });
}
