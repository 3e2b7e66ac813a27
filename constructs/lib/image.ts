/** A container image as data: the environment file pins it, promotion edits it. */
export interface Image {
  readonly repository: string;
  readonly tag: string;
  /** Content digest; when set, the reference is pinned and the tag is informational. */
  readonly digest?: string;
}

/** `repo:tag@sha256:…` — the tag stays for readers, the digest is what the kubelet pulls. */
export function imageReference(image: Image): string {
  return image.digest ? `${image.repository}:${image.tag}@${image.digest}` : `${image.repository}:${image.tag}`;
}
