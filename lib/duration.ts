/** Go durations (`90m`, `1h30m`, `2160h`), as cert-manager and Argo CD read them. */
import { GO_DURATION, matches } from "./formats";

const UNIT_SECONDS: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Seconds in a Go duration such as `1h30m`; NaN when it is not one. */
export function goDurationSeconds(duration: string): number {
  if (!matches(GO_DURATION, duration)) return NaN;
  let seconds = 0;
  for (const [, value, unit] of duration.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|ms|s|m|h)/g)) seconds += Number(value) * UNIT_SECONDS[unit!]!;
  return seconds;
}
