import type { Rule } from "../types";
import { eachContainer, label } from "../lib/pods";
import { field, list, record } from "../lib/values";

export const noSshPort: Rule = {
  id: "no-ssh-port",
  severity: "error",
  title: "No container exposes port 22 (SSH)",
  rationale: "Containers are replaced, not logged into; an SSH server is an extra credential store and a way around audit logs.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=ssh-port",
  check(object) {
    return eachContainer(object, (c) =>
      list(c.container.ports).flatMap((raw, i) =>
        record(raw)?.containerPort === 22 ? [{ field: field(c.path, "ports", i, "containerPort"), message: `${label(c)}: expected no SSH port, got 22` }] : [],
      ),
    );
  },
};
