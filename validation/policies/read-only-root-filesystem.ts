import { defineRule } from "../lib/rule";
import { expectSecurity } from "../lib/pods";

export const readOnlyRootFilesystem = defineRule({
  id: "read-only-root-filesystem",
  title: "Every container's root filesystem is read-only",
  container: (c) => expectSecurity(c, ["readOnlyRootFilesystem"], (value) => value === true, "expected true"),
  rationale:
    "An attacker who gets code execution cannot drop tools or alter binaries, and nothing the app writes survives a " +
    "restart by accident. Writable paths are explicit emptyDir or persistent volumes.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=no-read-only-root-fs",
});
