/** Kubernetes label selectors, as the API server evaluates them. */
import { list, record, stringMap, text } from "./values";

/** `matchLabels` + `matchExpressions` (Deployment, PDB, NetworkPolicy...). An empty selector matches everything. */
export function matchesLabelSelector(selector: unknown, labels: Record<string, string>): boolean {
  const s = record(selector);
  if (!s) return false;
  const matchLabels = record(s.matchLabels);
  for (const k in matchLabels) if (labels[k] !== matchLabels[k]) return false;
  for (const raw of list(s.matchExpressions)) {
    const e = record(raw);
    const key = text(e?.key);
    if (!e || key === undefined) return false;
    const values = list(e.values).filter((v): v is string => typeof v === "string");
    const has = key in labels;
    switch (e.operator) {
      case "In":
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[key]!)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export function isEmptyLabelSelector(selector: unknown): boolean {
  const s = record(selector);
  return !!s && Object.keys(stringMap(s.matchLabels)).length === 0 && list(s.matchExpressions).length === 0;
}

/** A Service's plain `selector` map; an empty map selects nothing (the Service has manual endpoints). */
export function matchesMap(selector: Record<string, string>, labels: Record<string, string>): boolean {
  let empty = true;
  for (const k in selector) {
    if (labels[k] !== selector[k]) return false;
    empty = false;
  }
  return !empty;
}

export function formatMap(map: Record<string, string>): string {
  return formatLabelSelector({ matchLabels: map });
}

/** The label keys a LabelSelector tests, in matchLabels then matchExpressions. */
export function selectorKeys(selector: unknown): string[] {
  const s = record(selector);
  return [...Object.keys(stringMap(s?.matchLabels)), ...list(s?.matchExpressions).flatMap((e) => text(record(e)?.key) ?? [])];
}

/** `{app: api, tier In (web, api)}`, for messages. */
export function formatLabelSelector(selector: unknown): string {
  const s = record(selector);
  const expressions = list(s?.matchExpressions).map((raw) => {
    const e = record(raw);
    const values = list(e?.values).map(String);
    return `${String(e?.key)} ${String(e?.operator)}${values.length ? ` (${values.join(", ")})` : ""}`;
  });
  return `{${[...Object.entries(stringMap(s?.matchLabels)).map(([k, v]) => `${k}: ${v}`), ...expressions].join(", ")}}`;
}
