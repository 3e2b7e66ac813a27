import { defineRule } from "../lib/rule";
import { effectiveSecurity, expectSecurity, type SecurityOwner } from "../lib/pods";
import { describe } from "../lib/values";

const notRoot = (owner: SecurityOwner) => expectSecurity(owner, ["runAsUser"], (user) => user !== 0, "expected a non-zero user id", () => "0 (root)");

export const runAsNonRoot = defineRule({
  id: "run-as-non-root",
  waivable: false,
  title: "Every container runs as a non-root user",
  pod: notRoot,
  container(c, pod) {
    const nonRoot = effectiveSecurity(pod, c, "runAsNonRoot");
    return [expectSecurity(c, ["runAsNonRoot"], () => nonRoot === true, "expected true (here or on the pod)", () => describe(nonRoot)), notRoot(c)];
  },
  rationale:
    "A process running as root inside a container is one kernel or runtime bug away from root on the node. " +
    "runAsNonRoot makes the kubelet refuse to start an image that would run as uid 0.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
});
