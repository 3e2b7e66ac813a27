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

/** Go escapes these in JSON (`<` as \u003c...): 6 bytes each, where UTF-8 takes 1 (`<>&`) or 3 (U+2028, U+2029). */
const ESCAPED = /[<>&\u2028\u2029]/g;

/** UTF-8 bytes of a JSON text as Go's encoding/json writes it. */
function goJsonBytes(json: string): number {
  let escapes = 0;
  for (const match of json.matchAll(ESCAPED)) escapes += match[0] < "\u0080" ? 5 : 3;
  return Buffer.byteLength(json) + escapes;
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
    const json = JSON.stringify(object);
    const serverSide = skipsLastApplied(object);
    // kubectl apply stores the object as JSON, newline-terminated, in an annotation beside the others.
    const others = Object.entries(stringMap(object.metadata?.annotations)).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0) + LAST_APPLIED.length + 1;
    const budget = serverSide ? MAX_OBJECT_BYTES : MAX_ANNOTATION_BYTES - ARGO_CD_HEADROOM - others;
    // No code unit takes more than 6 bytes encoded: far under the budget, there is nothing to count.
    if (json.length * 6 <= budget) return undefined;
    const own = goJsonBytes(json);
    if (own <= budget) return undefined;
    if (serverSide) {
      return {
        field: "",
        message: `expected at most 1 MiB (${MAX_OBJECT_BYTES} bytes), got ${kib(own)} (${own} bytes): more than a ConfigMap or Secret may hold, and close to etcd's 1.5 MiB request limit for any object; split it`,
      };
    }
    return {
      field: "metadata.annotations",
      message:
        `expected at most ${kib(MAX_ANNOTATION_BYTES - ARGO_CD_HEADROOM)} of annotations once kubectl apply adds its ${LAST_APPLIED} copy of the object, ` +
        `got ${kib(others + own)} (the object is ${own} bytes of JSON): the API server refuses it at sync; split it, or apply it server-side with argocd.argoproj.io/sync-options: ServerSideApply=true`,
    };
  },
  rationale:
    "The API server refuses an object over what etcd stores (1 MiB for ConfigMaps and Secrets) and annotations over 256 KiB " +
    "in all. Argo CD applies client-side by default, which copies the whole object into the " +
    "kubectl.kubernetes.io/last-applied-configuration annotation, so such an object must stay under 256 KiB (less 1 KiB " +
    "for Argo CD's tracking annotation); with ServerSideApply=true or Replace=true there is no copy and the limit is 1 MiB.",
  link: "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#server-side-apply",
});
