import type { Rule, Violation } from "../types";
import { at, field, list, text } from "../lib/values";

export const ingressTls: Rule = {
  id: "ingress-tls",
  severity: "error",
  title: "Every Ingress host is served over TLS",
  rationale: "Plain HTTP exposes sessions and credentials on the wire; cert-manager issues the certificate for every host listed under spec.tls.",
  link: "https://polaris.docs.fairwinds.com/checks/security/",
  check(object) {
    if (object.kind !== "Ingress") return [];
    const tls = list(at(object, "spec", "tls"));
    if (tls.length === 0) return [{ field: "spec.tls", message: "expected TLS for every host, got nothing" }];
    const covered = new Set(tls.flatMap((t) => list(at(t, "hosts")).filter((h): h is string => typeof h === "string")));
    const out: Violation[] = [];
    list(at(object, "spec", "rules")).forEach((rule, i) => {
      const host = text(at(rule, "host"));
      if (host && !covered.has(host)) out.push({ field: field("spec", "rules", i, "host"), message: `expected '${host}' in spec.tls[].hosts, got no TLS entry for it` });
    });
    return out;
  },
};
