import type { KubeObject } from "../../lib/kube-object";
import type { Violation } from "../types";
import type { Scope } from "../lib/scope";
import { defineRule } from "../lib/rule";
import { containers, label, type PodSpec } from "../lib/pods";
import { podReferences, type Reference } from "../lib/references";
import { at, field, list, stringMap, text } from "../lib/values";

const HOW: Record<Reference["kind"], string> = {
  ConfigMap: "",
  Secret: " (an ExternalSecret targeting it, a Certificate or a Secret)",
  PersistentVolumeClaim: " (a PersistentVolumeClaim or a StatefulSet volumeClaimTemplate)",
};

function missing(scope: Scope, what: string, name: string, how = ""): string {
  return `expected ${what} '${name}' in ${scope.describeNamespace()}${how}, found none`;
}

function exists(scope: Scope, { kind, name }: Reference): boolean {
  if (kind === "Secret") return scope.secretSources(name).length > 0;
  if (kind === "PersistentVolumeClaim") return scope.claimSource(name) !== undefined;
  return scope.named(kind, name) !== undefined;
}

/** Volume mounts name a volume of the pod, or a StatefulSet's claim template. */
function danglingMounts(pod: PodSpec, owner: KubeObject): Violation[] {
  const volumes = new Set([...list(pod.spec.volumes), ...list(at(owner, "spec", "volumeClaimTemplates")).map((t) => at(t, "metadata"))].map((v) => text(at(v, "name"))));
  return containers(pod).flatMap((c) =>
    list(c.container.volumeMounts).flatMap((mount, i) => {
      const name = text(at(mount, "name"));
      return name && !volumes.has(name) ? [{ field: field(c.path, "volumeMounts", i, "name"), message: `${label(c)}: expected a volume '${name}' in the pod, found none` }] : [];
    }),
  );
}

function ingressReferences(ingress: KubeObject, scope: Scope): Violation[] {
  const out: Violation[] = [];
  const backend = (value: unknown, path: string) => {
    const name = text(at(value, "service", "name"));
    if (name && !scope.named("Service", name)) out.push({ field: field(path, "service", "name"), message: missing(scope, "Service", name) });
  };
  backend(at(ingress, "spec", "defaultBackend"), "spec.defaultBackend");
  list(at(ingress, "spec", "rules")).forEach((rule, i) =>
    list(at(rule, "http", "paths")).forEach((p, j) => backend(at(p, "backend"), field("spec", "rules", i, "http", "paths", j, "backend"))),
  );
  // cert-manager's ingress-shim creates the TLS Secret itself when the Ingress names an issuer.
  const annotations = stringMap(ingress.metadata?.annotations);
  const shim = "cert-manager.io/cluster-issuer" in annotations || "cert-manager.io/issuer" in annotations;
  list(at(ingress, "spec", "tls")).forEach((tls, i) => {
    const name = text(at(tls, "secretName"));
    if (name && !shim && scope.secretSources(name).length === 0) {
      out.push({ field: field("spec", "tls", i, "secretName"), message: missing(scope, "Secret", name, " (a Certificate, a cert-manager issuer annotation, an ExternalSecret or a Secret)") });
    }
  });
  return out;
}

export const noDanglingReferences = defineRule({
  id: "no-dangling-references",
  title: "Every ConfigMap, Secret, PVC, volume, Service, scale target and PDB selector referenced exists beside it",
  pod: (pod, { scope }, object) => [
    ...podReferences(pod)
      .filter((ref) => !ref.optional && !exists(scope, ref))
      .map((ref) => ({ field: ref.field, message: `${ref.who}${missing(scope, ref.kind, ref.name, HOW[ref.kind])}` })),
    ...danglingMounts(pod, object),
  ],
  check(object, { scope }) {
    if (object.kind === "Ingress") return ingressReferences(object, scope);
    if (object.kind === "HorizontalPodAutoscaler") {
      const kind = text(at(object, "spec", "scaleTargetRef", "kind"));
      const name = text(at(object, "spec", "scaleTargetRef", "name"));
      return kind && name && !scope.named(kind, name) ? { field: "spec.scaleTargetRef", message: missing(scope, kind, name) } : undefined;
    }
    if (object.kind === "PodDisruptionBudget" && scope.selectedBy(at(object, "spec", "selector")).length === 0) {
      return { field: "spec.selector", message: `expected to select the pods of a workload in ${scope.describeNamespace()}, selects none` };
    }
    return undefined;
  },
  rationale:
    "A missing ConfigMap or Secret leaves the pod in CreateContainerConfigError, a missing claim leaves it Pending, " +
    "a missing backend Service answers 503, and a PDB or HPA aimed at nothing protects or scales nothing: all after " +
    "a successful sync. Secrets count as present when an ExternalSecret (spec.target.name, or its own name), a " +
    "cert-manager Certificate or a Secret produces them.",
  link: "https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets",
});
