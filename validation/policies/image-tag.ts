import type { Rule, Violation } from "../types";
import { containers, label, podSpec } from "../lib/pods";
import { parseImage } from "../lib/images";
import { describe, field } from "../lib/values";

export const imageTag: Rule = {
  id: "image-tag",
  severity: "error",
  title: "Every image names a fixed tag, never latest",
  rationale:
    "An untagged image means latest, and latest moves: two nodes can run different code under one manifest, " +
    "and Git no longer says what is deployed.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=latest-tag",
  check(object) {
    const pod = podSpec(object);
    if (!pod) return [];
    const out: Violation[] = [];
    for (const c of containers(pod)) {
      const image = c.container.image;
      const at = field(c.path, "image");
      if (typeof image !== "string" || image === "") {
        out.push({ field: at, message: `${label(c)}: expected an image with a fixed tag, got ${describe(image)}` });
        continue;
      }
      const { repository, tag } = parseImage(image);
      if (tag === undefined) out.push({ field: at, message: `${label(c)}: expected an image with a fixed tag such as ${repository}:1.2.3, got ${describe(image)}` });
      else if (tag === "latest") out.push({ field: at, message: `${label(c)}: expected a fixed tag, got ${describe(image)} ('latest' moves under you)` });
    }
    return out;
  },
};
