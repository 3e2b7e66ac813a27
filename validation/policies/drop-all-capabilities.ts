import { defineRule } from "../lib/rule";
import { expectSecurity, label, security } from "../lib/pods";
import { describe, field, list } from "../lib/values";

/** The one capability the restricted profile lets a container add back: binding ports below 1024. */
const ADDABLE = new Set<unknown>(["NET_BIND_SERVICE"]);

export const dropAllCapabilities = defineRule({
  id: "drop-all-capabilities",
  waivable: false,
  title: "Every container drops ALL capabilities and adds back at most NET_BIND_SERVICE",
  container: (c) => [
    expectSecurity(c, ["capabilities", "drop"], (drop) => list(drop).includes("ALL"), "expected a list containing ALL"),
    ...list(security(c, "capabilities", "add")).map((cap, i) =>
      ADDABLE.has(cap)
        ? undefined
        : { field: field(c.path, "securityContext", "capabilities", "add", i), message: `${label(c)}: expected only NET_BIND_SERVICE to be added, got ${describe(cap)}` },
    ),
  ],
  rationale:
    "Container runtimes grant a default set of Linux capabilities (NET_RAW, CHOWN, SETUID...) that web services never need; " +
    "NET_RAW alone allows ARP and DNS spoofing inside the cluster network.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
});
