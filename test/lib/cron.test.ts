import { cronSchedule } from "../../lib/cron";
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
