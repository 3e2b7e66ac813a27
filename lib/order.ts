/**
 * Orderings that are the same on every machine: code-point order, never `localeCompare`, whose result
 * follows the locale of whoever runs the synth.
 */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Keys in code-point order, so a rendered map and its hash never depend on insertion order. */
export function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => byCodePoint(a, b)));
}
