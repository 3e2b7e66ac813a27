/** A CronJob schedule as Kubernetes accepts it: five fields, or one of its macros. Pure, shared with the environment schema. */
export const CRON_SCHEDULE = /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$/;
