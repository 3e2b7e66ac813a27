import { cronProblem, cronSchedule, cronScheduleProblem, timeZoneProblem } from "../../lib/cron";
import { goDurationMs } from "../../lib/duration";

describe("cronProblem: schedules as Kubernetes CronJobs read them (robfig/cron's standard parser)", () => {
  test.each([
    "0 3 * * *",
    "*/15 * * * *",
    "0 9-17/2 * * MON-FRI",
    "30 2 1,15 * *",
    "0 0 29 2 *",
    "5/15 * * * *",
    "0 3 ? * WED",
    "0 3 1 jan-jul *",
    "0 0 ? * sun",
    "0 4 * jan,jul *",
    "@daily",
    "@Weekly",
    "  0 3 * * *  ",
  ])("accepts '%s'", (schedule) => expect(cronProblem(schedule, "cronjob")).toBeUndefined());

  test.each([
    ["99 99 99 99 99", "minute '99' is invalid: expected 0-59"],
    ["0 24 * * *", "hour '24' is invalid: expected 0-23"],
    ["0 0 0 * *", "day-of-month '0' is invalid: expected 1-31"],
    ["0 0 1 13 *", "month '13' is invalid: expected 1-12 or JAN-DEC"],
    ["0 0 * * 7", "day-of-week '7' is invalid: expected 0-6 or SUN-SAT"],
    ["0 0 * * 1-7", "day-of-week '1-7' is invalid: expected 0-6 or SUN-SAT"],
    ["0 0 L * *", "day-of-month 'L' is invalid: expected 1-31"],
    ["0 0 15W * *", "day-of-month '15W' is invalid: expected 1-31"],
    ["0 0 * * 5#2", "day-of-week '5#2' is invalid: expected 0-6 or SUN-SAT"],
    ["*/0 * * * *", "minute '*/0' is invalid: expected 0-59"],
    ["30-10 * * * *", "minute '30-10' is invalid: expected 0-59"],
    ["/5 * * * *", "minute '/5' is invalid: expected 0-59"],
    ["0 0 * MON *", "month 'MON' is invalid: expected 1-12 or JAN-DEC"],
    ["0 0 1,,2 * *", "day-of-month '1,,2' is invalid: expected 1-31"],
    ["0 3 * *", "4 field(s); a schedule has five: minute hour day-of-month month day-of-week"],
    ["0 0 3 * * *", "6 field(s); a schedule has five: minute hour day-of-month month day-of-week"],
    ["daily", "1 field(s); a schedule has five: minute hour day-of-month month day-of-week"],
    ["@every 1h", "the macros are @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly"],
    ["@reboot", "the macros are @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly"],
    ["CRON_TZ=Europe/Berlin 0 3 * * *", "a time zone goes in timeZone, not in the schedule"],
  ])("refuses '%s', naming the field and what it takes", (schedule, reason) => {
    expect(cronProblem(schedule, "cronjob")).toBe(`expected a cron schedule such as '0 3 * * *' or @daily, got '${schedule}' (${reason})`);
  });

  test.each(["0 0 31 2 *", "0 0 30 2 *", "0 0 31 4,6,9,11 *"])("refuses '%s', which matches no date and would never run", (schedule) => {
    expect(cronProblem(schedule, "cronjob")).toBe(
      `expected a cron schedule such as '0 3 * * *' or @daily, got '${schedule}' (it never runs: no date matches its day-of-month and month)`,
    );
  });

  test("a day-of-month no month has still fires when a day-of-week is also set (either matches)", () => {
    expect(cronProblem("0 0 31 2 1", "cronjob")).toBeUndefined();
  });

  test("quotes a long schedule by its start and length, never whole", () => {
    const long = `0 3 * * * ${"x".repeat(10_000)}`;
    expect(cronProblem(long, "cronjob")).toBe(
      `expected a cron schedule such as '0 3 * * *' or @daily, got '${long.slice(0, 80)}…' (10010 characters) (6 field(s); a schedule has five: minute hour day-of-month month day-of-week)`,
    );
  });
});

test("cronScheduleProblem gives the reason alone, for messages that name the schedule themselves (the validation gate)", () => {
  expect(cronScheduleProblem("0 0 31 2 *")).toBe("it never runs: no date matches its day-of-month and month");
  expect(cronScheduleProblem("0 3 * * 7")).toBe("day-of-week '7' is invalid: expected 0-6 or SUN-SAT");
  expect(cronScheduleProblem("@daily", "sync-window")).toBe("Argo CD sync windows take no macros");
  expect(cronScheduleProblem("0 3 * * *")).toBeUndefined();
});

describe("cronProblem: schedules as Argo CD sync windows read them (five fields, no macros)", () => {
  test("accepts five fields", () => expect(cronProblem("0 16 * * 5", "sync-window")).toBeUndefined());

  test.each([
    ["@daily", "expected a five-field cron schedule such as '0 16 * * 5', got '@daily' (Argo CD sync windows take no macros)"],
    ["0 16 * * 8", "expected a five-field cron schedule such as '0 16 * * 5', got '0 16 * * 8' (day-of-week '8' is invalid: expected 0-6 or SUN-SAT)"],
    ["TZ=UTC 0 16 * * 5", "expected a five-field cron schedule such as '0 16 * * 5', got 'TZ=UTC 0 16 * * 5' (a time zone goes in timeZone)"],
    ["0 0 31 2 *", "expected a five-field cron schedule such as '0 16 * * 5', got '0 0 31 2 *' (it never runs: no date matches its day-of-month and month)"],
  ])("refuses '%s'", (schedule, message) => expect(cronProblem(schedule, "sync-window")).toBe(message));
});

describe("timeZoneProblem: IANA zones from Intl's list, as Go's time.LoadLocation resolves them", () => {
  test.each(["UTC", "Etc/UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Asia/Kolkata", "US/Eastern", "Etc/GMT+1"])("accepts %s", (zone) => {
    expect(timeZoneProblem(zone)).toBeUndefined();
  });

  test.each(["Mars/Olympus", "Europe/Berln", "Local", "", "+01:00", "Berlin"])("refuses '%s', which is no zone", (zone) => {
    expect(timeZoneProblem(zone)).toBe(`expected an IANA time zone such as Europe/Berlin or UTC, got '${zone}'`);
  });

  test("refuses a zone spelt in the wrong case, naming its spelling: zone names are file names to Go", () => {
    expect(timeZoneProblem("europe/berlin")).toBe("expected 'Europe/Berlin' (time zone names are case-sensitive), got 'europe/berlin'");
    expect(timeZoneProblem("utc")).toBe("expected 'UTC' (time zone names are case-sensitive), got 'utc'");
  });
});

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

  test("'?' is any value, as robfig/cron reads it, not the current minute", () => {
    expect(cronSchedule("? 3 * * *", "UTC").nextRuns(2, new Date("2026-01-01T03:30:10Z")).map((d) => d.toISOString())).toEqual([
      "2026-01-01T03:31:00.000Z",
      "2026-01-01T03:32:00.000Z",
    ]);
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
