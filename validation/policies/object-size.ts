import type { KubeObject } from "../../lib/kube-object";
import { defineRule } from "../lib/rule";
import { hasSyncOption } from "../lib/argocd";
import { stringMap } from "../lib/values";

/** What the API server stores at most per object (etcd's request limit is 1.5 MiB; ConfigMaps and Secrets are held to 1 MiB). */
export const MAX_OBJECT_BYTES = 1024 * 1024;
/** All annotations of one object together (apimachinery's TotalAnnotationSizeLimitB). */
export const MAX_ANNOTATION_BYTES = 256 * 1024;
/** Room left for what Argo CD adds before it applies: its tracking-id annotation and instance label, which land in the copy too. */
const ARGO_CD_HEADROOM = 1024;
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** UTF-8 bytes of the object as Go's encoding/json writes it: `<`, `>` and `&` escaped as \u003c..., U+2028/2029 as \u2028. */
function jsonBytes(value: unknown): number {
  const json = JSON.stringify(value);
  const html = json.match(/[<>&]/g)?.length ?? 0;
  const separators = json.match(/[\u2028\u2029]/g)?.length ?? 0;
  return Buffer.byteLength(json) + 5 * html + 3 * separators;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Whether Argo CD applies the object without client-side apply's copy of it (server-side apply, or replace/create). */
function skipsLastApplied(object: KubeObject): boolean {
  return hasSyncOption(object, "ServerSideApply=true") || hasSyncOption(object, "Replace=true");
}

export const objectSize = defineRule({
  id: "object-size",
  title: "Every object fits what the API server stores: 1 MiB in all, and 256 KiB of annotations once client-side apply copies it into one",
  check(object) {
    const own = jsonBytes(object);
    if (skipsLastApplied(object)) {
      return own > MAX_OBJECT_BYTES
        ? {
            field: "",
            message: `expected at most 1 MiB (${MAX_OBJECT_BYTES} bytes), got ${kib(own)} (${own} bytes): more than a ConfigMap or Secret may hold, and close to etcd's 1.5 MiB request limit for any object; split it`,
          }
        : undefined;
    }
    // kubectl apply stores the object as JSON, newline-terminated, in an annotation beside the others.
    const annotations =
      Object.entries(stringMap(object.metadata?.annotations)).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0) + LAST_APPLIED.length + own + 1;
    if (annotations + ARGO_CD_HEADROOM <= MAX_ANNOTATION_BYTES) return undefined;
    return {
      field: "metadata.annotations",
      message:
        `expected at most ${kib(MAX_ANNOTATION_BYTES - ARGO_CD_HEADROOM)} of annotations once kubectl apply adds its ${LAST_APPLIED} copy of the object, ` +
        `got ${kib(annotations)} (the object is ${own} bytes of JSON): the API server refuses it at sync; split it, or apply it server-side with argocd.argoproj.io/sync-options: ServerSideApply=true`,
    };
  },
  rationale:
    "The API server refuses an object over what etcd stores (1 MiB for ConfigMaps and Secrets) and annotations over 256 KiB " +
    "in all. Argo CD applies client-side by default, which copies the whole object into the " +
    "kubectl.kubernetes.io/last-applied-configuration annotation, so such an object must stay under 256 KiB (less 1 KiB " +
    "for Argo CD's tracking annotation); with ServerSideApply=true or Replace=true there is no copy and the limit is 1 MiB.",
  link: "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#server-side-apply",
});
