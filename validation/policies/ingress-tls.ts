import { defineRule } from "../lib/rule";
import { at, field, list, text } from "../lib/values";

export const ingressTls = defineRule({
  id: "ingress-tls",
  title: "Every Ingress host is served over TLS",
  kinds: ["Ingress"],
  check(ingress) {
    const tls = list(at(ingress, "spec", "tls"));
    if (tls.length === 0) return { field: "spec.tls", message: "expected TLS for every host, got nothing" };
    const covered = new Set(tls.flatMap((t) => list(at(t, "hosts"))));
    return list(at(ingress, "spec", "rules")).map((rule, i) => {
      const host = text(at(rule, "host"));
      return host && !covered.has(host) ? { field: field("spec", "rules", i, "host"), message: `expected '${host}' in spec.tls[].hosts, got no TLS entry for it` } : undefined;
    });
  },
  rationale: "Plain HTTP exposes sessions and credentials on the wire; cert-manager issues the certificate for every host listed under spec.tls.",
  link: "https://polaris.docs.fairwinds.com/checks/security/",
});
