import { defineRule } from "../lib/rule";
import { label } from "../lib/pods";
import { parseImage } from "../lib/images";
import { describe, field } from "../lib/values";

export const imageTag = defineRule({
  id: "image-tag",
  title: "Every image names a fixed tag, never latest",
  container(c) {
    const image = c.container.image;
    const at = field(c.path, "image");
    if (typeof image !== "string" || image === "") return { field: at, message: `${label(c)}: expected an image with a fixed tag, got ${describe(image)}` };
    const { repository, tag } = parseImage(image);
    if (tag === undefined) return { field: at, message: `${label(c)}: expected an image with a fixed tag such as ${repository}:1.2.3, got ${describe(image)}` };
    if (tag === "latest") return { field: at, message: `${label(c)}: expected a fixed tag, got ${describe(image)} ('latest' moves under you)` };
    return undefined;
  },
  rationale:
    "An untagged image means latest, and latest moves: two nodes can run different code under one manifest, " +
    "and Git no longer says what is deployed.",
  link: "https://docs.kubelinter.io/#/generated/checks?id=latest-tag",
});
