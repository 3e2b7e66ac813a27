/**
 * Kubernetes resource quantities, read as numbers where a value must be compared or added up (a memory
 * request against its limit, a namespace's quota against what its workloads ask for), and written back.
 */
const SUFFIX: Record<string, number> = {
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** The value of a quantity in base units (`250m` → 0.25, `1Gi` → 1073741824); NaN when unreadable. */
export function quantityValue(quantity: string): number {
  const m = QUANTITY.exec(quantity);
  return m ? Number(m[1]) * SUFFIX[m[2] ?? ""]! : NaN;
}

/** Bytes in a memory quantity such as `128Mi`, `1.5Gi` or `500M`; NaN when unreadable (or given in milli-bytes). */
export function quantityBytes(quantity: string): number {
  return quantity.endsWith("m") ? NaN : quantityValue(quantity);
}

/** Millicores in a CPU quantity such as `250m`, `1` or `0.5`; NaN when unreadable. */
export function cpuMillis(quantity: string): number {
  return Math.round(quantityValue(quantity) * 1000);
}

/** Millicores as the shortest exact quantity: 2000 → `2`, 2500 → `2500m`. */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Bytes as a binary quantity, rounded up to the next whole Mi (or Gi when exact): 1.5 GiB → `1536Mi`. */
export function formatBytes(bytes: number): string {
  const mi = Math.ceil(bytes / 1024 ** 2);
  return mi % 1024 === 0 ? `${mi / 1024}Gi` : `${mi}Mi`;
}
