import { defineRule } from "../lib/rule";
import { field, stringMap } from "../lib/values";

/** ingress-nginx's raw-configuration annotations (configuration-, server-, auth-, stream-, modsecurity-snippet...) and NGINX Inc.'s. */
const SNIPPET = /^nginx\.ingress\.kubernetes\.io\/[a-z-]*snippet$|^nginx\.org\/[a-z-]*snippets$/;

export const noIngressSnippets = defineRule({
  id: "no-ingress-snippets",
  title: "Ingresses carry no nginx snippet annotations (configuration-snippet, server-snippet, auth-snippet...)",
  kinds: ["Ingress"],
  check: (ingress) =>
    Object.keys(stringMap(ingress.metadata?.annotations))
      .filter((key) => SNIPPET.test(key))
      .map((key) => ({ field: field("metadata", "annotations", key), message: "expected no raw nginx configuration, got a snippet: it runs inside the shared ingress controller, which can read every Secret of the cluster" })),
  rationale:
    "A snippet is pasted into the ingress controller's own nginx configuration, which runs with a token that reads every " +
    "Secret of the cluster: any Ingress author could read them (CVE-2021-25742), and ingress-nginx turns snippets off by " +
    "default since 1.9. Use the controller's typed annotations instead.",
  link: "https://github.com/kubernetes/ingress-nginx/issues/7837",
});
