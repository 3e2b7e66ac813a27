/** Go durations (`64h`, `1h30m`, `1.5h`), as Argo CD reads sync windows: the format is GO_DURATION in formats.ts. */
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };
const PART = /([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/y;

/** Milliseconds in a Go duration; NaN when the text is not one. */
export function goDurationMs(text: string): number {
  if (text === "") return NaN;
  PART.lastIndex = 0;
  let total = 0;
  while (PART.lastIndex < text.length) {
    const m = PART.exec(text);
    if (!m) return NaN;
    total += Number(m[1]) * UNIT_MS[m[2]];
  }
  return total;
}
