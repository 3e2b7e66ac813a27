import { describeWindow, openFreezes, openingAt, type SyncWindowSpec } from "../../review/sync-windows";

const weekendFreeze: SyncWindowSpec = {
  kind: "deny",
  schedule: "0 16 * * 5",
  duration: "64h",
  timeZone: "Europe/Berlin",
  description: "Weekend freeze",
};
const at = (iso: string) => new Date(iso);

describe("sync windows", () => {
  test("a weekend freeze is open from Friday 16:00 to Monday 08:00, Berlin time (CET in November)", () => {
    expect(openingAt(weekendFreeze, at("2026-11-27T14:59:59Z"))).toBeUndefined();
    expect(openingAt(weekendFreeze, at("2026-11-27T15:00:01Z"))).toEqual({
      window: weekendFreeze,
      opened: at("2026-11-27T15:00:00Z"),
      closes: at("2026-11-30T07:00:00Z"),
    });
    expect(openingAt(weekendFreeze, at("2026-11-30T06:59:59Z"))?.closes).toEqual(at("2026-11-30T07:00:00Z"));
    expect(openingAt(weekendFreeze, at("2026-11-30T07:00:00Z"))).toBeUndefined();
  });

  test("the schedule follows the window's time zone through daylight saving time (CEST in July)", () => {
    expect(openingAt(weekendFreeze, at("2026-07-03T13:59:00Z"))).toBeUndefined();
    expect(openingAt(weekendFreeze, at("2026-07-03T14:01:00Z"))?.opened).toEqual(at("2026-07-03T14:00:00Z"));
  });

  test("a window is open only after its start, as Argo CD decides (next start after now − duration, before now)", () => {
    const nightly: SyncWindowSpec = { kind: "deny", schedule: "30 2 * * *", duration: "1h30m", timeZone: "UTC" };
    expect(openingAt(nightly, at("2026-03-10T02:30:00Z"))).toBeUndefined();
    expect(openingAt(nightly, at("2026-03-10T02:30:01Z"))?.opened).toEqual(at("2026-03-10T02:30:00Z"));
    expect(openingAt(nightly, at("2026-03-10T03:59:59Z"))?.closes).toEqual(at("2026-03-10T04:00:00Z"));
    expect(openingAt(nightly, at("2026-03-10T04:00:00Z"))).toBeUndefined();
  });

  test("only deny windows freeze promotion: an allow window only says when Argo CD may sync", () => {
    const always = { schedule: "* * * * *", duration: "1h", timeZone: "UTC" } as const;
    const now = at("2026-05-05T12:00:30Z");
    expect(openFreezes([{ kind: "allow", ...always }], now)).toEqual([]);
    expect(openFreezes([{ kind: "deny", ...always }, weekendFreeze], now).map((o) => o.window.kind)).toEqual(["deny"]);
  });

  test("describes a window by its description and rule", () => {
    expect(describeWindow(weekendFreeze)).toBe("'Weekend freeze' (0 16 * * 5 for 64h, Europe/Berlin)");
    expect(describeWindow({ kind: "deny", schedule: "0 0 * * *", duration: "1h", timeZone: "UTC" })).toBe("(0 0 * * * for 1h, UTC)");
  });
});
