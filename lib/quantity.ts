/** Kubernetes resource quantities, read as numbers where a construct must compare them. */
const SUFFIX: Record<string, number> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** Bytes in a memory quantity such as `128Mi`, `1.5Gi` or `500M`; NaN when unreadable. */
export function quantityBytes(quantity: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(quantity);
  return m ? Number(m[1]) * SUFFIX[m[2] ?? ""] : NaN;
}
