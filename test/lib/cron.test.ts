import { cronSchedule, cronScheduleProblem } from "../../lib/cron";
import { goDurationMs } from "../../lib/duration";

describe("cronSchedule", () => {
  test("reads five fields in the given time zone", () => {
    expect(cronSchedule("0 16 * * 5", "Europe/Berlin").nextRun(new Date("2026-11-25T00:00:00Z"))).toEqual(new Date("2026-11-27T15:00:00Z"));
  });

  test("a day-of-month and a day-of-week both set match either day, as Vixie cron and Kubernetes read them", () => {
    // The 1st of the month or any Monday: with AND, the run after Monday 2026-06-01 would wait for a Monday the 1st.
    const runs = cronSchedule("0 0 1 * 1", "UTC").nextRuns(3, new Date("2026-05-31T12:00:00Z"));
    expect(runs.map((d) => d.toISOString())).toEqual(["2026-06-01T00:00:00.000Z", "2026-06-08T00:00:00.000Z", "2026-06-15T00:00:00.000Z"]);
  });

  test("refuses anything but five fields, with croner's reason", () => {
    expect(() => cronSchedule("0 0 16 * * 5", "UTC")).toThrow("mode '5-part' requires exactly 5 parts, but pattern '0 0 16 * * 5' has 6 parts.");
    expect(() => cronSchedule("61 * * * *", "UTC")).toThrow("Invalid value for minute: 61");
  });

  test("an unknown time zone fails on evaluation", () => {
    expect(() => cronSchedule("0 16 * * 5", "Mars/Olympus").nextRun()).toThrow("Invalid timezone 'Mars/Olympus'");
  });
});

describe("goDurationMs", () => {
  test.each([
    ["64h", 64 * 3600e3],
    ["1h30m", 5400e3],
    ["1.5h", 5400e3],
    ["90s", 90e3],
    ["250ms", 250],
  ])("%s is %d ms", (text, ms) => expect(goDurationMs(text)).toBe(ms));

  test.each(["", "5", "5x", "h", "1h 30m"])("'%s' is not a Go duration", (text) => expect(goDurationMs(text)).toBeNaN());
});

// What Kubernetes' CronJob controller reads (robfig/cron v3's standard parser), checked with croner: the environment
// schema, the constructs and the validation gate share this one answer.
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
