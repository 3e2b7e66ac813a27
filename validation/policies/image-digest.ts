import { IMAGE_DIGEST, matches } from "../../lib/formats";
import { defineRule } from "../lib/rule";
import { label } from "../lib/pods";
import { parseImage } from "../lib/images";
import { describe, field } from "../lib/values";

export const imageDigest = defineRule({
  id: "image-digest",
  title: "Images are pinned by digest where the environment requires it (policy.requireImageDigests, prod)",
  container(c, _pod, { profile }) {
    if (!profile.requireImageDigests) return undefined;
    const image = c.container.image;
    const digest = typeof image === "string" ? parseImage(image).digest : undefined;
    return digest === undefined || !matches(IMAGE_DIGEST, digest)
      ? { field: field(c.path, "image"), message: `${label(c)}: expected an image pinned by digest (<image>:<tag>@sha256:<64 hex>), got ${describe(image)}` }
      : undefined;
  },
  rationale:
    "A tag can be re-pushed; a digest cannot. Pinning makes what runs in prod exactly what was tested, " +
    "and a compromised registry cannot swap the image underneath.",
  link: "https://kubernetes.io/docs/concepts/containers/images/#image-names",
});
