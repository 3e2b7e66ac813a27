/**
 * Props checks shared by the Argo CD constructs. Each returns a problem (what to change) or undefined, so
 * a constructor can report every problem at once through `assertProps`.
 */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const GLOB = /[*?[\]!{}]/;

export type Problem = string | undefined;

/** Throws one error naming the construct and listing every problem found. */
export function assertProps(owner: string, problems: readonly Problem[]): void {
  const found = problems.filter((p): p is string => p !== undefined);
  if (found.length) throw new Error(found.map((p) => `${owner}: ${p}`).join("\n"));
}

export function dnsLabel(field: string, value: string): Problem {
  if (value.length <= 63 && DNS_LABEL.test(value)) return undefined;
  return `'${field}' must be a DNS label (lower-case letters, digits and '-', at most 63), got '${value}'`;
}

export function httpUrl(field: string, value: string): Problem {
  try {
    const url = new URL(value);
    if (url.protocol === "https:" || url.protocol === "http:") return undefined;
  } catch {
    // reported below, with the value
  }
  return `'${field}' must be an http(s) URL, got '${value}'`;
}

/** A folder of this repository as Argo CD reads it: relative, forward slashes, no way out of the repository. */
export function repoPath(field: string, value: string): Problem {
  const segments = value.split("/");
  if (value && !value.startsWith("/") && !value.endsWith("/") && segments.every((s) => s && s !== "." && s !== "..")) {
    return undefined;
  }
  return `'${field}' must be a folder relative to the repository root such as dist/prod/web, got '${value}'`;
}

export function nonNegativeInteger(field: string, value: number): Problem {
  return Number.isInteger(value) && value >= 0 ? undefined : `'${field}' must be an integer ≥ 0, got ${value}`;
}

/** Argo CD reads glob patterns in project destinations; ours name exact namespaces and clusters. */
export function noGlob(field: string, value: string): Problem {
  return GLOB.test(value) ? `'${field}' must name one exact value, not a pattern, got '${value}'` : undefined;
}

export function exactlyOneCluster(field: string, cluster: { server?: string; name?: string }): Problem {
  const given = [cluster.server, cluster.name].filter((v) => v !== undefined).length;
  if (given === 1) return undefined;
  return `'${field}' needs exactly one of server or name, got ${given === 0 ? "neither" : "both"}`;
}

export function nonEmpty(field: string, values: readonly unknown[]): Problem {
  return values.length ? undefined : `'${field}' needs at least one entry, got none`;
}

export function unique(field: string, values: readonly string[]): Problem {
  const dupes = [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
  return dupes.length ? `'${field}' lists ${dupes.map((d) => `'${d}'`).join(", ")} more than once` : undefined;
}
