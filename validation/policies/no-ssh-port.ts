import { defineRule } from "../lib/rule";
import { label } from "../lib/pods";
import { field, records } from "../lib/values";

export const noSshPort = defineRule({
  id: "no-ssh-port",
  title: "No container exposes port 22 (SSH)",
  container: (c) =>
    records(c.container, c.path, "ports").map(({ value, path }) =>
      value.containerPort === 22 ? { field: field(path, "containerPort"), message: `${label(c)}: expected no SSH port, got 22` } : undefined,
    ),
  rationale: "Containers are replaced, not logged into; an SSH server is an extra credential store and a way around audit logs.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=ssh-port",
});
