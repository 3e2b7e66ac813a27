import type { Rule } from "../types";
import { eachContainer, label } from "../lib/pods";
import { DIGEST, parseImage } from "../lib/images";
import { describe, field } from "../lib/values";

export const imageDigest: Rule = {
  id: "image-digest",
  severity: "error",
  title: "Images are pinned by digest where the environment requires it (policy.requireImageDigests, prod)",
  rationale:
    "A tag can be re-pushed; a digest cannot. Pinning makes what runs in prod exactly what was tested, " +
    "and a compromised registry cannot swap the image underneath.",
  link: "https://kubernetes.io/docs/concepts/containers/images/#image-names",
  check(object, { profile }) {
    if (!profile.requireImageDigests) return [];
    return eachContainer(object, (c) => {
      const image = c.container.image;
      const digest = typeof image === "string" ? parseImage(image).digest : undefined;
      return digest === undefined || !DIGEST.test(digest)
        ? { field: field(c.path, "image"), message: `${label(c)}: expected an image pinned by digest (<image>:<tag>@sha256:<64 hex>), got ${describe(image)}` }
        : undefined;
    });
  },
};
