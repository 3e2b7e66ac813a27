import type { KubeObject } from "../../lib/kube-object";
import type { Violation } from "../types";
import { defineRule } from "../lib/rule";
import { compareSteps, describeStep, HOOK, invalidWave, syncStep, SYNC_WAVE, type Phase, type SyncStep } from "../lib/argocd";
import { podSpec } from "../lib/pods";
import { podReferences } from "../lib/references";
import { isEmptyLabelSelector } from "../lib/selectors";
import { namespaceOf, type Scope } from "../lib/scope";
import { at, field, list, record, text } from "../lib/values";

const WAVE_FIELD = field("metadata", "annotations", SYNC_WAVE);
const HOOK_FIELD = field("metadata", "annotations", HOOK);
const FIRST = new Set(["Namespace", "ResourceQuota", "LimitRange"]);

/** `Deployment 'api'`, for messages. */
const who = (o: KubeObject) => `${o.kind} '${String(o.metadata?.name)}'`;

/** One object that must not sync before another. */
interface Edge {
  readonly dependent: KubeObject;
  readonly dependency: KubeObject;
  /** Why, as a clause: `a pod does not start until ...`. */
  readonly why: string;
  /** The dependency must be serving before the dependent starts: an earlier step, not the same one. */
  readonly strict?: boolean;
  /** The natural fix moves the dependent later (it calls a server), rather than the dependency earlier. */
  readonly moveDependent?: boolean;
}

const READS = "a pod does not start until the ServiceAccount, ConfigMaps and Secrets it uses exist";

/** A workload's ServiceAccount, ConfigMaps and the objects that produce its Secrets. */
function workloadEdges(scope: Scope): Edge[] {
  return scope.workloads().flatMap((workload) => {
    const pod = podSpec(workload)!;
    const account = text(pod.spec.serviceAccountName);
    const dependencies: (KubeObject | undefined)[] = [
      account ? scope.named("ServiceAccount", account) : undefined,
      ...podReferences(pod)
        .filter((ref) => !ref.optional)
        .flatMap((ref): readonly (KubeObject | undefined)[] => (ref.kind === "ConfigMap" ? [scope.named("ConfigMap", ref.name)] : ref.kind === "Secret" ? scope.secretSources(ref.name) : [])),
    ];
    return [...new Set(dependencies)].flatMap((dependency): Edge[] => (dependency ? [{ dependent: workload, dependency, why: READS }] : []));
  });
}

/** An ExternalSecret's store and generators. */
function externalSecretEdges(scope: Scope, folder: Scope): Edge[] {
  return scope.ofKind("ExternalSecret").flatMap((external) => {
    // The store of the whole ExternalSecret, and the store or generator of each data entry.
    const refs = [at(external, "spec"), ...list(at(external, "spec", "data")), ...list(at(external, "spec", "dataFrom"))].flatMap((source) => [
      { ref: at(source, "secretStoreRef") ?? at(source, "sourceRef", "storeRef"), kind: "SecretStore" },
      { ref: at(source, "sourceRef", "generatorRef"), kind: undefined },
    ]);
    return refs.flatMap(({ ref, kind: defaultKind }): Edge[] => {
      const kind = text(at(ref, "kind")) ?? defaultKind;
      const name = text(at(ref, "name"));
      // A ClusterSecretStore has no namespace: it is found anywhere in the folder.
      const dependency = kind && name ? (scope.named(kind, name) ?? folder.named(kind, name)) : undefined;
      return dependency ? [{ dependent: external, dependency, why: "an ExternalSecret fails until its store and generators exist" }] : [];
    });
  });
}

/** Every object of a namespace needs the Namespace, and its quota and limit ranges first. */
function namespaceEdges(folder: Scope): Edge[] {
  return folder.objects
    .filter((o) => FIRST.has(o.kind))
    .flatMap((first) =>
      folder.objects
        .filter((o) => !FIRST.has(o.kind) && namespaceOf(o) === (first.kind === "Namespace" ? first.metadata?.name : namespaceOf(first)))
        .map((dependent) => ({
          dependent,
          dependency: first,
          why:
            first.kind === "Namespace"
              ? "nothing can be created in a namespace before it exists"
              : `a ${first.kind} applies only to what is created after it, so it comes first`,
        })),
    );
}

/** Workloads a NetworkPolicy lets connect to other workloads of the namespace: the caller must not start before its server. */
function callEdges(scope: Scope): Edge[] {
  return scope.ofKind("NetworkPolicy").flatMap((policy) => {
    if (isEmptyLabelSelector(at(policy, "spec", "podSelector"))) return [];
    const callers = scope.selectedBy(at(policy, "spec", "podSelector")).filter((w) => w.kind !== "CronJob");
    const servers = list(at(policy, "spec", "egress"))
      .flatMap((rule) => list(record(rule)?.to))
      .filter((peer) => at(peer, "podSelector") !== undefined && at(peer, "namespaceSelector") === undefined)
      .flatMap((peer) => scope.selectedBy(at(peer, "podSelector")))
      .filter((w) => podSpec(w)!.longRunning);
    return callers.flatMap((caller) => {
      const runsOnce = !podSpec(caller)!.longRunning;
      return [...new Set(servers)]
        .filter((server) => server !== caller)
        .map((server) => ({
          dependent: caller,
          dependency: server,
          strict: runsOnce,
          moveDependent: true,
          why: runsOnce
            ? `it connects to it (NetworkPolicy '${String(policy.metadata?.name)}'), and a Job runs once and fails if its server is not serving yet`
            : `it connects to it (NetworkPolicy '${String(policy.metadata?.name)}'), and Argo CD waits for it to be healthy, which it may never be without its server`,
        }));
    });
  });
}

/** How to move an object to `phase` and `wave` (`wave 2`, or a name for it: `the last wave (5)`). */
function fix(current: SyncStep, phase: Phase, wave: number, range = "", name = `wave ${wave}`): string {
  if (current.phase === phase) return `move it to ${name}${range} with ${SYNC_WAVE}: "${wave}"`;
  return `make it a ${phase} hook (${HOOK}: ${phase}) in ${name}${range}`;
}

/** A finding on `object`, asking it to move to `target`. */
interface Found {
  readonly object: KubeObject;
  readonly violation: Violation;
  readonly target: SyncStep;
  /** Moves a dependency earlier (the earliest target wins) rather than a dependent later (the latest wins). */
  readonly earlier: boolean;
}

type Steps = ReadonlyMap<KubeObject, SyncStep | undefined>;

function edgeFinding(edge: Edge, steps: Steps): Found | undefined {
  const d = steps.get(edge.dependent);
  const x = steps.get(edge.dependency);
  if (!d || !x) return undefined;
  const order = compareSteps(x, d);
  if (order < 0 || (order === 0 && !edge.strict)) return undefined;
  // A hook that runs in an earlier phase than what it needs moves to that phase; a plain object never becomes a hook.
  if (edge.moveDependent || (d.phase !== x.phase && d.hook)) {
    const wave = edge.strict && d.phase === x.phase ? x.wave + 1 : x.wave;
    const when = order === 0 ? `the same wave as ${who(edge.dependency)}` : `before ${who(edge.dependency)} (${describeStep(x)})`;
    return {
      object: edge.dependent,
      violation: { field: d.phase !== x.phase ? HOOK_FIELD : WAVE_FIELD, message: `in ${describeStep(d)}, ${when}: ${edge.why}; ${fix(d, x.phase, wave, " or later")}` },
      target: { ...x, wave },
      earlier: false,
    };
  }
  return {
    object: edge.dependency,
    violation: { field: WAVE_FIELD, message: `in ${describeStep(x)} but ${who(edge.dependent)} needs it from ${describeStep(d)}: ${edge.why}; ${fix(x, d.phase, d.wave, " or earlier")}` },
    target: d,
    earlier: true,
  };
}

/** Workloads that start a pod as soon as they sync (a CronJob waits for its schedule; zero replicas or a suspended Job start none). */
function startsPod(workload: KubeObject): boolean {
  if (workload.kind === "CronJob") return false;
  if (workload.kind === "Job") return at(workload, "spec", "suspend") !== true;
  return at(workload, "spec", "replicas") !== 0;
}

const PENDING =
  "on WaitForFirstConsumer storage the claim stays Pending until a pod uses it, and Argo CD counts a Pending claim as Progressing and waits for it before any later wave";

/** A standalone claim syncs with its first consumer: earlier, it blocks the sync while Pending; later, the consumer's pods wait for it forever. */
function claimFindings(scope: Scope, folder: Scope, steps: Steps): Found[] {
  return scope.ofKind("PersistentVolumeClaim").flatMap((claim): Found[] => {
    const own = steps.get(claim);
    if (!own) return [];
    const consumers = scope.workloads().filter((w) => steps.get(w) && podReferences(podSpec(w)!).some((r) => r.kind === "PersistentVolumeClaim" && r.name === claim.metadata?.name));
    const first = consumers.filter(startsPod).sort((a, b) => compareSteps(steps.get(a)!, steps.get(b)!))[0];
    if (first) {
      const step = steps.get(first)!;
      const order = compareSteps(own, step);
      if (order === 0) return [];
      const why =
        order < 0
          ? `its first consumer, ${who(first)}, starts in ${describeStep(step)}: ${PENDING}, so the sync never gets there`
          : `${who(first)} needs it from ${describeStep(step)}: its pods stay Pending without the claim and Argo CD waits for them, so the claim is never created`;
      return [{ object: claim, violation: { field: WAVE_FIELD, message: `in ${describeStep(own)} but ${why}; ${fix(own, step.phase, step.wave)}` }, target: step, earlier: true }];
    }
    const last = Math.max(...folder.objects.map((o) => steps.get(o)).flatMap((s) => (s?.phase === "Sync" ? [s.wave] : [])));
    if (own.phase === "Sync" && own.wave === last) return [];
    const users = consumers.map(who);
    const why = users.length
      ? `only ${users.join(" and ")} ${users.length === 1 ? "uses it, and that starts" : "use it, and those start"} no pod when it syncs: ${PENDING}`
      : `no workload in ${scope.describeNamespace()} uses it: ${PENDING}`;
    const target: SyncStep = { phase: "Sync", wave: last, hook: false };
    return [{ object: claim, violation: { field: WAVE_FIELD, message: `in ${describeStep(own)} but ${why}; ${fix(own, "Sync", last, "", `the last wave (${last})`)}` }, target, earlier: true }];
  });
}

const cache = new WeakMap<Scope, Map<KubeObject, Violation[]>>();

/** Every wave finding of one folder (one Argo CD Application), computed once. */
function folderFindings(folder: Scope): Map<KubeObject, Violation[]> {
  const cached = cache.get(folder);
  if (cached) return cached;
  const steps = new Map(folder.objects.map((o) => [o, syncStep(o)]));
  const scopes = folder.byNamespace();
  const found = [
    ...[...namespaceEdges(folder), ...scopes.flatMap((s) => [...workloadEdges(s), ...externalSecretEdges(s, folder), ...callEdges(s)])].flatMap((e) => edgeFinding(e, steps) ?? []),
    ...scopes.flatMap((s) => claimFindings(s, folder, steps)),
  ];
  // One finding per object and direction: the earliest step asked of a dependency, the latest of a dependent.
  const kept = new Map<KubeObject, { earlier?: Found; later?: Found }>();
  for (const f of found) {
    const sides = kept.get(f.object) ?? {};
    const side = f.earlier ? "earlier" : "later";
    const current = sides[side];
    if (!current || compareSteps(f.target, current.target) * (f.earlier ? -1 : 1) > 0) sides[side] = f;
    kept.set(f.object, sides);
  }
  const out = new Map([...kept].map(([object, sides]) => [object, [sides.earlier, sides.later].flatMap((f) => (f ? [f.violation] : []))]));
  cache.set(folder, out);
  return out;
}

export const syncWaveOrder = defineRule({
  id: "sync-wave-order",
  title: "Argo CD sync waves create every object after what it needs: namespace first, then accounts, config and secrets, servers before their callers, claims with their first consumer",
  check(object, { folder }) {
    const invalid = invalidWave(object);
    return [
      invalid === undefined
        ? undefined
        : { field: WAVE_FIELD, message: `expected an integer such as "2", got ${JSON.stringify(invalid)}: Argo CD ignores it and syncs the object in wave ${syncStep(object)?.wave ?? 0}` },
      ...(folderFindings(folder).get(object) ?? []),
    ];
  },
  rationale:
    "Argo CD applies one wave at a time and waits for every object of a wave to be healthy before the next. An object " +
    "synced before what it needs fails or waits: a pod without its ServiceAccount, ConfigMap or Secret does not start, a " +
    "Job that connects to a server not yet up fails, and a claim synced before its first consumer stays Pending on " +
    "WaitForFirstConsumer storage, which Argo CD counts as Progressing, so the sync waits forever. Waves come from " +
    "argocd.argoproj.io/sync-wave (default 0); hooks run in their phase and wave.",
  link: "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/",
});
