/**
 * What Kubernetes' CronJob controller reads (robfig/cron v3's standard parser), checked with a real cron
 * parser (croner): the environment schema, the constructs and the validation gate share this one answer.
 */
import { cronScheduleProblem } from "../../lib/cron";

describe("cronScheduleProblem", () => {
  test.each(["0 3 * * *", "@daily", "@hourly", "30 2 * * 1-5", "*/15 * * * *", "5/10 * * * *", "0 3 ? * WED", "0 3 1 jan-jul *", "0 0 29 2 *", "0 0 31 2 1"])(
    "accepts '%s'",
    (schedule) => {
      expect(cronScheduleProblem(schedule)).toBeUndefined();
    },
  );

  test.each([
    ["99 99 99 99 99", "minute '99' is outside 0–59"],
    ["0 24 * * *", "hour '24' is outside 0–23"],
    ["0 0 0 * *", "day-of-month '0' is outside 1–31"],
    ["0 0 1 13 *", "month '13' is outside 1–12"],
    ["0 3 * * 7", "day-of-week '7' is outside 0–6 (Sunday is 0 or SUN)"],
    ["0 3 * * 5-7", "day-of-week '5-7' is outside 0–6 (Sunday is 0 or SUN)"],
    ["0 0 31 2 *", "it never runs: no date matches its day-of-month and month"],
    ["0 0 31 4,6,9,11 *", "it never runs: no date matches its day-of-month and month"],
    ["0 0 L * *", "day-of-month 'L' uses 'L', which Kubernetes' cron does not read"],
    ["0 0 1W * *", "day-of-month '1W' uses 'W', which Kubernetes' cron does not read"],
    ["0 0 * * 1#2", "day-of-week '1#2' uses '#', which Kubernetes' cron does not read"],
    ["*/0 * * * *", "Syntax error, illegal stepping: 0"],
    ["0 3 * *", "expected five fields (minute hour day-of-month month day-of-week) or a macro such as @daily"],
    ["@every 1h", "expected five fields (minute hour day-of-month month day-of-week) or a macro such as @daily"],
    ["0 0 3 * * *", "expected five fields (minute hour day-of-month month day-of-week) or a macro such as @daily"],
  ])("refuses '%s': %s", (schedule, problem) => {
    expect(cronScheduleProblem(schedule)).toBe(problem);
  });
});
