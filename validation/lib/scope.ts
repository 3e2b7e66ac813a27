/**
 * The objects of one folder and namespace, judged together by cross-object rules (Service selectors,
 * references, default-deny, PDBs, backups). Built once per validation and indexed, so rules that
 * look things up for every object stay linear in the size of the scope.
 */
import type { KubeObject } from "../../lib/kube-object";
import { podSpec } from "./pods";
import { matchesLabelSelector, matchesMap } from "./selectors";
import { at, groupBy, list, record, text } from "./values";

export class Scope {
  private readonly byKind = new Map<string, KubeObject[]>();
  private readonly byKindAndName = new Map<string, KubeObject>();
  private readonly autoscalers = new Map<string, KubeObject>();
  private readonly workloadList: readonly KubeObject[];
  private readonly workloadSet: ReadonlySet<KubeObject>;
  /** Workloads by one of their pod labels (`key=value`), to narrow selector matching. */
  private readonly byPodLabel = new Map<string, KubeObject[]>();

  constructor(
    /** `metadata.namespace`, or "" for objects that do not set one (and for the scope of a whole folder). */
    readonly namespace: string,
    readonly objects: readonly KubeObject[],
  ) {
    for (const o of objects) {
      const same = this.byKind.get(o.kind);
      if (same) same.push(o);
      else this.byKind.set(o.kind, [o]);
      const name = text(o.metadata?.name);
      if (name !== undefined && !this.byKindAndName.has(`${o.kind}/${name}`)) this.byKindAndName.set(`${o.kind}/${name}`, o);
    }
    for (const hpa of this.ofKind("HorizontalPodAutoscaler")) {
      const target = `${String(at(hpa, "spec", "scaleTargetRef", "kind"))}/${String(at(hpa, "spec", "scaleTargetRef", "name"))}`;
      if (!this.autoscalers.has(target)) this.autoscalers.set(target, hpa);
    }
    this.workloadList = objects.filter((o) => podSpec(o) !== undefined);
    this.workloadSet = new Set(this.workloadList);
    for (const w of this.workloadList) {
      for (const [k, v] of Object.entries(podSpec(w)!.labels)) {
        const key = `${k}=${v}`;
        const same = this.byPodLabel.get(key);
        if (same) same.push(w);
        else this.byPodLabel.set(key, [w]);
      }
    }
  }

  /** The fewest workloads that carry one of `labels` on their pods (all of them need every one), or all workloads without a label to narrow by. */
  private candidates(labels: Record<string, unknown> | undefined): readonly KubeObject[] {
    let fewest = this.workloadList;
    for (const k in labels) {
      const carrying = this.byPodLabel.get(`${k}=${String(labels[k])}`) ?? [];
      if (carrying.length < fewest.length) fewest = carrying;
    }
    return fewest;
  }

  /** Workloads whose pods a Service-style selector map selects (an empty map selects none). */
  selectedByMap(selector: Record<string, string>): KubeObject[] {
    return this.candidates(selector).filter((w) => matchesMap(selector, podSpec(w)!.labels));
  }

  /** Workloads whose pods a LabelSelector (matchLabels, matchExpressions) selects. */
  selectedBy(selector: unknown): KubeObject[] {
    return this.candidates(record(at(selector, "matchLabels"))).filter((w) => matchesLabelSelector(selector, podSpec(w)!.labels));
  }

  private secrets?: Map<string, KubeObject[]>;

  /**
   * The objects that make Secret `name` exist once synced: an ExternalSecret targeting it (`spec.target.name`,
   * or its own name), a cert-manager Certificate (`spec.secretName`) or the Secret itself.
   */
  secretSources(name: string): readonly KubeObject[] {
    if (!this.secrets) {
      this.secrets = new Map();
      const sources: [string, KubeObject][] = [
        ...this.ofKind("ExternalSecret").map((e) => [text(at(e, "spec", "target", "name")) ?? e.metadata?.name, e] as [string, KubeObject]),
        ...this.ofKind("Certificate").map((c) => [text(at(c, "spec", "secretName")), c] as [string, KubeObject]),
        ...this.ofKind("Secret").map((s) => [s.metadata?.name, s] as [string, KubeObject]),
      ];
      for (const [secret, source] of sources) {
        if (typeof secret !== "string") continue;
        const same = this.secrets.get(secret);
        if (same) same.push(source);
        else this.secrets.set(secret, [source]);
      }
    }
    return this.secrets.get(name) ?? [];
  }

  /** The object that provides claim `name`: a PersistentVolumeClaim, or a StatefulSet's volumeClaimTemplate (`<template>-<statefulset>-<ordinal>`). */
  claimSource(name: string): KubeObject | undefined {
    return (
      this.named("PersistentVolumeClaim", name) ??
      this.ofKind("StatefulSet").find((s) =>
        list(at(s, "spec", "volumeClaimTemplates")).some((t) => {
          const template = text(at(t, "metadata", "name"));
          const prefix = `${template}-${s.metadata?.name}-`;
          return template !== undefined && name.startsWith(prefix) && /^[0-9]+$/.test(name.slice(prefix.length));
        }),
      )
    );
  }

  private namespaces?: readonly Scope[];

  /** The objects of each namespace in this scope, as scopes of their own (for a folder's scope). */
  byNamespace(): readonly Scope[] {
    this.namespaces ??= [...groupBy(this.objects, namespaceOf)].map(([namespace, objects]) => new Scope(namespace, objects));
    return this.namespaces;
  }

  ofKind(kind: string): readonly KubeObject[] {
    return this.byKind.get(kind) ?? [];
  }

  named(kind: string, name: string): KubeObject | undefined {
    return this.byKindAndName.get(`${kind}/${name}`);
  }

  /** Objects that run pods (Deployments, StatefulSets, Jobs, CronJobs, Pods...). */
  workloads(): readonly KubeObject[] {
    return this.workloadList;
  }

  runsPods(object: KubeObject): boolean {
    return this.workloadSet.has(object);
  }

  /** The HorizontalPodAutoscaler that scales `workload`, if any. */
  autoscalerOf(workload: KubeObject): KubeObject | undefined {
    return this.autoscalers.get(`${workload.kind}/${String(workload.metadata?.name)}`);
  }

  /** `namespace 'shop'`, or a phrase for objects that leave the namespace to kustomize or kubectl. */
  describeNamespace(): string {
    return this.namespace ? `namespace '${this.namespace}'` : "namespace (unset)";
  }
}

/** The namespace key an object is grouped under. */
export function namespaceOf(object: KubeObject): string {
  return text(object.metadata?.namespace) ?? "";
}

/**
 * How many pods a workload runs at least: `spec.replicas` (default 1) or, when an HPA scales it,
 * the HPA's `minReplicas` (default 1). DaemonSets, Jobs and Pods are not counted (undefined).
 */
export function replicaFloor(workload: KubeObject, scope: Scope): number | undefined {
  if (!["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"].includes(workload.kind)) return undefined;
  const hpa = scope.autoscalerOf(workload);
  const value = hpa ? at(hpa, "spec", "minReplicas") : at(workload, "spec", "replicas");
  return typeof value === "number" ? value : 1;
}

/** Whether a workload may run more than one pod (several replicas, or an HPA that can add some). */
export function mayRunSeveral(workload: KubeObject, scope: Scope): boolean {
  const hpa = scope.autoscalerOf(workload);
  if (hpa) {
    const max = at(hpa, "spec", "maxReplicas");
    return typeof max !== "number" || max > 1;
  }
  const floor = replicaFloor(workload, scope);
  return floor !== undefined && floor > 1;
}
