import type { KubeObject } from "../../lib/kube-object";
import type { Rule, Violation } from "../types";
import type { Scope } from "../lib/scope";
import { containers, label, podSpec, type PodSpec } from "../lib/pods";
import { at, field, list, record, stringMap, text } from "../lib/values";

const secretNames = new WeakMap<Scope, ReadonlySet<string>>();

/** Secrets a scope will have once synced: ExternalSecret targets, cert-manager Certificates and plain Secrets. */
function producesSecret(scope: Scope, name: string): boolean {
  let names = secretNames.get(scope);
  if (!names) {
    names = new Set([
      ...scope.ofKind("ExternalSecret").map((e) => text(at(e, "spec", "target", "name")) ?? e.metadata?.name),
      ...scope.ofKind("Certificate").map((c) => text(at(c, "spec", "secretName"))),
      ...scope.ofKind("Secret").map((s) => s.metadata?.name),
    ].filter((n): n is string => typeof n === "string"));
    secretNames.set(scope, names);
  }
  return names.has(name);
}

/** PVCs: claims in the scope, or the per-pod claims a StatefulSet creates (`<template>-<statefulset>-<ordinal>`). */
function providesClaim(scope: Scope, name: string): boolean {
  if (scope.named("PersistentVolumeClaim", name)) return true;
  return scope.ofKind("StatefulSet").some((s) =>
    list(at(s, "spec", "volumeClaimTemplates")).some((t) => {
      const template = text(at(t, "metadata", "name"));
      const prefix = `${template}-${s.metadata?.name}-`;
      return template !== undefined && name.startsWith(prefix) && /^[0-9]+$/.test(name.slice(prefix.length));
    }),
  );
}

const SECRET = "(an ExternalSecret targeting it, a Certificate or a Secret)";
const CLAIM = "(a PersistentVolumeClaim or a StatefulSet volumeClaimTemplate)";

function missing(scope: Scope, what: string, name: string, how = ""): string {
  return `expected ${what} '${name}' in ${scope.describeNamespace()}${how ? ` ${how}` : ""}, found none`;
}

function podReferences(pod: PodSpec, scope: Scope, owner: KubeObject): Violation[] {
  const out: Violation[] = [];
  const volumeNames = new Set<string>();
  list(pod.spec.volumes).forEach((raw, i) => {
    const v = record(raw);
    if (!v) return;
    if (typeof v.name === "string") volumeNames.add(v.name);
    const volumeField = (...keys: (string | number)[]) => field(pod.path, "volumes", i, ...keys);
    const configMap = text(at(v, "configMap", "name"));
    if (configMap && at(v, "configMap", "optional") !== true && !scope.named("ConfigMap", configMap)) {
      out.push({ field: volumeField("configMap", "name"), message: missing(scope, "ConfigMap", configMap) });
    }
    const secret = text(at(v, "secret", "secretName"));
    if (secret && at(v, "secret", "optional") !== true && !producesSecret(scope, secret)) {
      out.push({ field: volumeField("secret", "secretName"), message: missing(scope, "Secret", secret, SECRET) });
    }
    const claim = text(at(v, "persistentVolumeClaim", "claimName"));
    if (claim && !providesClaim(scope, claim)) {
      out.push({ field: volumeField("persistentVolumeClaim", "claimName"), message: missing(scope, "PersistentVolumeClaim", claim, CLAIM) });
    }
    list(at(v, "projected", "sources")).forEach((source, j) => {
      const cm = text(at(source, "configMap", "name"));
      if (cm && at(source, "configMap", "optional") !== true && !scope.named("ConfigMap", cm)) {
        out.push({ field: volumeField("projected", "sources", j, "configMap", "name"), message: missing(scope, "ConfigMap", cm) });
      }
      const s = text(at(source, "secret", "name"));
      if (s && at(source, "secret", "optional") !== true && !producesSecret(scope, s)) {
        out.push({ field: volumeField("projected", "sources", j, "secret", "name"), message: missing(scope, "Secret", s, SECRET) });
      }
    });
  });
  // A StatefulSet's claim templates are mounted by name, like volumes.
  for (const t of list(at(owner, "spec", "volumeClaimTemplates"))) {
    const name = text(at(t, "metadata", "name"));
    if (name) volumeNames.add(name);
  }
  list(pod.spec.imagePullSecrets).forEach((raw, i) => {
    const name = text(record(raw)?.name);
    if (name && !producesSecret(scope, name)) out.push({ field: field(pod.path, "imagePullSecrets", i, "name"), message: missing(scope, "Secret", name, SECRET) });
  });
  for (const c of containers(pod)) {
    list(c.container.env).forEach((raw, i) => {
      const from = record(at(raw, "valueFrom"));
      const cm = record(from?.configMapKeyRef);
      if (cm && typeof cm.name === "string" && cm.optional !== true && !scope.named("ConfigMap", cm.name)) {
        out.push({ field: field(c.path, "env", i, "valueFrom", "configMapKeyRef", "name"), message: `${label(c)}: ${missing(scope, "ConfigMap", cm.name)}` });
      }
      const s = record(from?.secretKeyRef);
      if (s && typeof s.name === "string" && s.optional !== true && !producesSecret(scope, s.name)) {
        out.push({ field: field(c.path, "env", i, "valueFrom", "secretKeyRef", "name"), message: `${label(c)}: ${missing(scope, "Secret", s.name, SECRET)}` });
      }
    });
    list(c.container.envFrom).forEach((raw, i) => {
      const cm = record(at(raw, "configMapRef"));
      if (cm && typeof cm.name === "string" && cm.optional !== true && !scope.named("ConfigMap", cm.name)) {
        out.push({ field: field(c.path, "envFrom", i, "configMapRef", "name"), message: `${label(c)}: ${missing(scope, "ConfigMap", cm.name)}` });
      }
      const s = record(at(raw, "secretRef"));
      if (s && typeof s.name === "string" && s.optional !== true && !producesSecret(scope, s.name)) {
        out.push({ field: field(c.path, "envFrom", i, "secretRef", "name"), message: `${label(c)}: ${missing(scope, "Secret", s.name, SECRET)}` });
      }
    });
    list(c.container.volumeMounts).forEach((raw, i) => {
      const name = text(record(raw)?.name);
      if (name && !volumeNames.has(name)) {
        out.push({ field: field(c.path, "volumeMounts", i, "name"), message: `${label(c)}: expected a volume '${name}' in the pod, found none` });
      }
    });
  }
  return out;
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
    if (name && !shim && !producesSecret(scope, name)) {
      out.push({ field: field("spec", "tls", i, "secretName"), message: missing(scope, "Secret", name, "(a Certificate, a cert-manager issuer annotation, an ExternalSecret or a Secret)") });
    }
  });
  return out;
}

export const noDanglingReferences: Rule = {
  id: "no-dangling-references",
  severity: "error",
  title: "Every ConfigMap, Secret, PVC, volume, Service, scale target and PDB selector referenced exists beside it",
  rationale:
    "A missing ConfigMap or Secret leaves the pod in CreateContainerConfigError, a missing claim leaves it Pending, " +
    "a missing backend Service answers 503, and a PDB or HPA aimed at nothing protects or scales nothing: all after " +
    "a successful sync. Secrets count as present when an ExternalSecret (spec.target.name, or its own name), a " +
    "cert-manager Certificate or a Secret produces them.",
  link: "https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets",
  check(object, { scope }) {
    const out: Violation[] = [];
    const pod = podSpec(object);
    if (pod) out.push(...podReferences(pod, scope, object));
    if (object.kind === "Ingress") out.push(...ingressReferences(object, scope));
    if (object.kind === "HorizontalPodAutoscaler") {
      const kind = text(at(object, "spec", "scaleTargetRef", "kind"));
      const name = text(at(object, "spec", "scaleTargetRef", "name"));
      if (kind && name && !scope.named(kind, name)) out.push({ field: "spec.scaleTargetRef", message: missing(scope, kind, name) });
    }
    if (object.kind === "PodDisruptionBudget") {
      if (scope.selectedBy(at(object, "spec", "selector")).length === 0) {
        out.push({ field: "spec.selector", message: `expected to select the pods of a workload in ${scope.describeNamespace()}, selects none` });
      }
    }
    return out;
  },
};
