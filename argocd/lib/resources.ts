/**
 * What a stack folder renders, as its AppProject must allow it: the namespaced kinds (its
 * namespaceResourceWhitelist) and each cluster-scoped object by name (its clusterResourceWhitelist).
 * Derived from the rendered objects, so a kind a stack starts to render is allowed by the same synth,
 * never refused by Argo CD at sync time.
 */
import { byCodePoint } from "../../lib/order";

/** One rendered object. A cdk8s ApiObject fits, and so does a plain object read back from dist/. */
export interface RenderedResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** The whole object, for the checks that read more than its identity (pull-request previews). */
  toJson(): unknown;
}

export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** A cluster-scoped object an AppProject allows by name (Argo CD ≥ 3.3 reads `name`). */
export interface ClusterResource extends GroupKind {
  readonly name: string;
}

/**
 * Kinds without a namespace: Kubernetes' own (`kubectl api-resources --namespaced=false`, 1.34) and those of
 * the operators Slipway renders for (cert-manager, External Secrets). Argo CD asks the cluster; we cannot,
 * so a kind missing here is treated as namespaced, and an unknown cluster-scoped kind is refused at sync.
 */
const CLUSTER_SCOPED = new Set([
  "/Namespace",
  "/Node",
  "/PersistentVolume",
  "/ComponentStatus",
  "admissionregistration.k8s.io/MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
  "apiextensions.k8s.io/CustomResourceDefinition",
  "apiregistration.k8s.io/APIService",
  "certificates.k8s.io/CertificateSigningRequest",
  "flowcontrol.apiserver.k8s.io/FlowSchema",
  "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
  "networking.k8s.io/IngressClass",
  "networking.k8s.io/IPAddress",
  "networking.k8s.io/ServiceCIDR",
  "node.k8s.io/RuntimeClass",
  "rbac.authorization.k8s.io/ClusterRole",
  "rbac.authorization.k8s.io/ClusterRoleBinding",
  "resource.k8s.io/DeviceClass",
  "resource.k8s.io/ResourceSlice",
  "scheduling.k8s.io/PriorityClass",
  "storage.k8s.io/CSIDriver",
  "storage.k8s.io/CSINode",
  "storage.k8s.io/StorageClass",
  "storage.k8s.io/VolumeAttachment",
  "cert-manager.io/ClusterIssuer",
  "external-secrets.io/ClusterSecretStore",
  "external-secrets.io/ClusterExternalSecret",
  "external-secrets.io/ClusterPushSecret",
  "generators.external-secrets.io/ClusterGenerator",
]);

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

export function isClusterScoped(r: { apiVersion: string; kind: string }): boolean {
  return CLUSTER_SCOPED.has(`${groupOf(r.apiVersion)}/${r.kind}`);
}

const order = (a: GroupKind, b: GroupKind) => byCodePoint(a.group, b.group) || byCodePoint(a.kind, b.kind);

/** Each namespaced group and kind rendered, once, in code-point order. */
export function namespacedKinds(resources: readonly RenderedResource[]): GroupKind[] {
  const kinds = new Map<string, GroupKind>();
  for (const r of resources.filter((r) => !isClusterScoped(r))) {
    kinds.set(`${groupOf(r.apiVersion)}/${r.kind}`, { group: groupOf(r.apiVersion), kind: r.kind });
  }
  return [...kinds.values()].sort(order);
}

/** Each cluster-scoped object rendered, by name, in code-point order. */
export function clusterResources(resources: readonly RenderedResource[]): ClusterResource[] {
  return resources
    .filter(isClusterScoped)
    .map((r) => ({ group: groupOf(r.apiVersion), kind: r.kind, name: r.name }))
    .sort((a, b) => order(a, b) || byCodePoint(a.name, b.name));
}
