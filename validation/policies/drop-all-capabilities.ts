import type { Rule, Violation } from "../types";
import { eachContainer, label } from "../lib/pods";
import { at, describe, field, list } from "../lib/values";

/** The one capability the restricted profile lets a container add back: binding ports below 1024. */
const ADDABLE = new Set(["NET_BIND_SERVICE"]);

export const dropAllCapabilities: Rule = {
  id: "drop-all-capabilities",
  severity: "error",
  title: "Every container drops ALL capabilities and adds back at most NET_BIND_SERVICE",
  rationale:
    "Container runtimes grant a default set of Linux capabilities (NET_RAW, CHOWN, SETUID...) that web services never need; " +
    "NET_RAW alone allows ARP and DNS spoofing inside the cluster network.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
  check(object) {
    return eachContainer(object, (c) => {
      const out: Violation[] = [];
      const drop = at(c.container, "securityContext", "capabilities", "drop");
      if (!list(drop).includes("ALL")) {
        out.push({ field: field(c.path, "securityContext", "capabilities", "drop"), message: `${label(c)}: expected a list containing ALL, got ${describe(drop)}` });
      }
      list(at(c.container, "securityContext", "capabilities", "add")).forEach((cap, i) => {
        if (typeof cap !== "string" || !ADDABLE.has(cap)) {
          out.push({
            field: field(c.path, "securityContext", "capabilities", "add", i),
            message: `${label(c)}: expected only NET_BIND_SERVICE to be added, got ${describe(cap)}`,
          });
        }
      });
      return out;
    });
  },
};
