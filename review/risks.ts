/**
 * Risky changes, flagged at the top of a diff: what can lose data, take a service down, or open it up.
 * One small function per concern, each judging one changed object (before and after) and saying why in
 * one line. Pure functions over the semantic diff.
 */
import { byCodePoint } from "../lib/order";
import { quantityBytes } from "../lib/quantity";
import type { KubeObject } from "../lib/kube-object";
import { IMAGE_DIGEST, matches } from "../lib/formats";
import { parseImage } from "../validation/lib/images";
import { containers, effectiveSecurity, label, podSpec, type Container, type PodSpec } from "../validation/lib/pods";
import { at, list, record, text } from "../validation/lib/values";
import type { Group } from "./objects";
import type { GroupDiff, ObjectChange } from "./semantic-diff";

export interface Risk {
  readonly group: Group;
  readonly kind: string;
  readonly name: string;
  readonly message: string;
}

export interface RiskContext {
  /** The object's stack existed in the base (a new stack's objects are all new, not risky by being new). */
  readonly existed: boolean;
  /** The environment pins images by digest (policy.requireImageDigests). */
  readonly requiresDigests: boolean;
}

type Check = (change: ObjectChange, ctx: RiskContext) => string[];

const storageOf = (claim: unknown) => text(at(claim, "spec", "resources", "requests", "storage"));
const classOf = (claim: unknown) => text(at(claim, "spec", "storageClassName"));

/** Shrinks and storage-class changes of one claim (a PVC or a volumeClaimTemplate). */
function claimChanges(before: unknown, after: unknown): string[] {
  const out: string[] = [];
  const [was, now] = [storageOf(before), storageOf(after)];
  if (was && now && quantityBytes(now) < quantityBytes(was)) out.push(`storage shrinks ${was} → ${now}: Kubernetes cannot shrink a volume`);
  const [oldClass, newClass] = [classOf(before), classOf(after)];
  if (oldClass !== newClass) {
    out.push(`storage class ${oldClass ?? "(cluster default)"} → ${newClass ?? "(cluster default)"}: a bound claim keeps its class; a new claim starts empty`);
  }
  return out;
}

const volumes: Check = ({ kind, status, before, after }) => {
  if (kind === "PersistentVolumeClaim") {
    if (status === "removed") return ["removed: a volume that holds data (Argo CD prunes it unless it is annotated Prune=false)"];
    if (status === "changed") return claimChanges(before, after);
  }
  if (kind === "StatefulSet") {
    const templates = (o: unknown) => new Map(list(at(o, "spec", "volumeClaimTemplates")).map((t) => [text(at(t, "metadata", "name")) ?? "", t]));
    const old = templates(before);
    if (status === "removed") {
      return [`removed: a workload that holds data${old.size ? ` (volume claims: ${[...old.keys()].join(", ")})` : ""}`];
    }
    if (status === "changed") {
      const now = templates(after);
      return [...old].flatMap(([name, template]) => {
        const next = now.get(name);
        if (!next) return [`volumeClaimTemplates[${name}] removed: the volumes of its pods are no longer mounted`];
        const changes = claimChanges(template, next);
        if (changes.length) return changes.map((c) => `volumeClaimTemplates[${name}]: ${c}`);
        return JSON.stringify(template) === JSON.stringify(next)
          ? []
          : [`volumeClaimTemplates[${name}] changed: the field is immutable, the sync fails until the StatefulSet is recreated`];
      });
    }
  }
  return [];
};

const SCALABLE = new Set(["Deployment", "StatefulSet", "ReplicaSet"]);

const replicasToZero: Check = ({ kind, status, before, after }) => {
  if (status !== "changed" || !SCALABLE.has(kind)) return [];
  const was = at(before, "spec", "replicas");
  return at(after, "spec", "replicas") === 0 && was !== 0 ? [`replicas ${was ?? "(default 1)"} → 0: no pods will run`] : [];
};

const show = (v: unknown) => (v === undefined ? "(unset)" : JSON.stringify(v));
const SECURE_SECCOMP = new Set(["RuntimeDefault", "Localhost"]);

const own = (c: Container, ...keys: string[]) => at(c.container, "securityContext", ...keys);

/** Security context fields, how each is read (a container's own, or with the pod's as fallback) and what weaker means. */
const SECURITY_FIELDS: readonly { key: string; read: (pod: PodSpec, c: Container) => unknown; weaker: (was: unknown, is: unknown) => boolean }[] = [
  { key: "runAsNonRoot", read: (p, c) => effectiveSecurity(p, c, "runAsNonRoot"), weaker: (was, is) => was === true && is !== true },
  { key: "runAsUser", read: (p, c) => effectiveSecurity(p, c, "runAsUser"), weaker: (was, is) => is === 0 && was !== 0 },
  { key: "allowPrivilegeEscalation", read: (_, c) => own(c, "allowPrivilegeEscalation"), weaker: (was, is) => was === false && is !== false },
  { key: "privileged", read: (_, c) => own(c, "privileged"), weaker: (was, is) => is === true && was !== true },
  { key: "readOnlyRootFilesystem", read: (_, c) => own(c, "readOnlyRootFilesystem"), weaker: (was, is) => was === true && is !== true },
  {
    key: "seccompProfile.type",
    read: (p, c) => at(effectiveSecurity(p, c, "seccompProfile"), "type"),
    weaker: (was, is) => SECURE_SECCOMP.has(String(was)) && !SECURE_SECCOMP.has(String(is)),
  },
];

/** Each way a container's effective security context became weaker, as `field old → new`. */
function loosenedContainer(oldPod: PodSpec, old: Container, newPod: PodSpec, now: Container): string[] {
  const out = SECURITY_FIELDS.flatMap(({ key, read, weaker }) => {
    const [was, is] = [read(oldPod, old), read(newPod, now)];
    return weaker(was, is) ? [`${label(now)}: ${key} ${show(was)} → ${show(is)}`] : [];
  });
  const dropped = (c: Container) => list(own(c, "capabilities", "drop")).map(String);
  if (dropped(old).includes("ALL") && !dropped(now).includes("ALL")) out.push(`${label(now)}: capabilities.drop no longer includes ALL`);
  const added = (c: Container) => list(own(c, "capabilities", "add")).map(String);
  const newCaps = added(now).filter((cap) => !added(old).includes(cap));
  if (newCaps.length) out.push(`${label(now)}: capabilities.add gains ${newCaps.join(", ")}`);
  return out;
}

const HOST_NAMESPACES = ["hostNetwork", "hostPID", "hostIPC"];

const securityLoosened: Check = ({ kind, status, before, after }) => {
  if (status !== "changed") return [];
  if (kind === "ServiceAccount") {
    return before?.automountServiceAccountToken === false && after?.automountServiceAccountToken !== false
      ? [`automountServiceAccountToken false → ${show(after?.automountServiceAccountToken)}`]
      : [];
  }
  const oldPod = before && podSpec(before);
  const newPod = after && podSpec(after);
  if (!oldPod || !newPod) return [];
  const out: string[] = [];
  for (const key of HOST_NAMESPACES) {
    if (newPod.spec[key] === true && oldPod.spec[key] !== true) out.push(`pod: ${key} ${show(oldPod.spec[key])} → true`);
  }
  if (oldPod.spec.automountServiceAccountToken === false && newPod.spec.automountServiceAccountToken !== false) {
    out.push(`pod: automountServiceAccountToken false → ${show(newPod.spec.automountServiceAccountToken)}`);
  }
  const old = new Map(containers(oldPod).map((c) => [`${c.type}/${c.name}`, c]));
  for (const now of containers(newPod)) {
    const was = old.get(`${now.type}/${now.name}`);
    if (was) out.push(...loosenedContainer(oldPod, was, newPod, now));
  }
  return out.map((m) => `securityContext loosened: ${m}`);
};

const ANY = "*";

function selector(value: unknown): string {
  const labels = Object.entries(record(at(value, "matchLabels")) ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  const expressions = list(at(value, "matchExpressions")).map((e) => JSON.stringify(e));
  return [...labels, ...expressions].join(",") || "(all)";
}

/** `pods app=proxy in namespaces team=web`, `10.0.0.0/8`, for messages. */
function describePeer(peer: unknown): string {
  const cidr = text(at(peer, "ipBlock", "cidr"));
  if (cidr) {
    const except = list(at(peer, "ipBlock", "except")).map(String);
    return except.length ? `${cidr} except ${except.join(", ")}` : cidr;
  }
  const pods = record(peer)?.podSelector;
  const namespaces = record(peer)?.namespaceSelector;
  const parts = [pods !== undefined ? `pods ${selector(pods)}` : "", namespaces !== undefined ? `namespaces ${selector(namespaces)}` : ""];
  return parts.filter(Boolean).join(" in ") || JSON.stringify(peer);
}

/** `TCP/8000`, `UDP/53-60`. */
function describePort(port: unknown): string {
  const p = record(port) ?? {};
  const number = p.port === undefined ? "any port" : String(p.port);
  return `${text(p.protocol) ?? "TCP"}/${number}${p.endPort !== undefined ? `-${String(p.endPort)}` : ""}`;
}

/** Every (direction, peer, port) a NetworkPolicy allows, as readable text; `*` stands for "any". */
function allowed(policy: KubeObject | undefined): Set<string> {
  const out = new Set<string>();
  for (const [direction, peers] of [["ingress", "from"], ["egress", "to"]] as const) {
    for (const rule of list(at(policy, "spec", direction))) {
      const from = list(record(rule)?.[peers]);
      const ports = list(record(rule)?.ports);
      for (const peer of from.length ? from.map(describePeer) : [ANY]) {
        for (const port of ports.length ? ports.map(describePort) : [ANY]) out.add(JSON.stringify([direction, peer, port]));
      }
    }
  }
  return out;
}

function covered(pair: string, old: Set<string>): boolean {
  const [direction, peer, port] = JSON.parse(pair) as string[];
  return [[direction, peer, port], [direction, ANY, port], [direction, peer, ANY], [direction, ANY, ANY]].some((p) => old.has(JSON.stringify(p)));
}

function describePair(pair: string): string {
  const [direction, peer, port] = JSON.parse(pair) as string[];
  return `${direction} ${direction === "ingress" ? "from" : "to"} ${peer === ANY ? "anywhere" : peer} on ${port === ANY ? "any port" : port}`;
}

const policyTypes = (p: KubeObject | undefined) => list(at(p, "spec", "policyTypes")).map(String);

const networkWidened: Check = ({ kind, status, before, after }, { existed }) => {
  if (kind !== "NetworkPolicy") return [];
  if (status === "removed") return ["removed: the pods it selected lose its isolation unless another policy selects them"];
  if (status === "added" && !existed) return [];
  const out: string[] = [];
  if (status === "changed") {
    const lost = policyTypes(before).filter((t) => !policyTypes(after).includes(t));
    if (lost.length) out.push(`policyTypes no longer include ${lost.join(", ")}: that direction is no longer restricted by it`);
    if (JSON.stringify(at(before, "spec", "podSelector")) !== JSON.stringify(at(after, "spec", "podSelector"))) {
      out.push("podSelector changed: it now applies to other pods");
    }
  }
  const old = allowed(before);
  const fresh = [...allowed(after)].filter((p) => !covered(p, old)).sort(byCodePoint);
  if (fresh.length) out.push(`widened: now allows ${fresh.map(describePair).join("; ")}`);
  return out;
};

function hostsOf(ingress: KubeObject | undefined): string[] {
  const rules = list(at(ingress, "spec", "rules")).flatMap((r) => text(record(r)?.host) ?? []);
  const tls = list(at(ingress, "spec", "tls")).flatMap((t) => list(record(t)?.hosts).map(String));
  return [...new Set([...rules, ...tls])].sort(byCodePoint);
}

const ingressHosts: Check = ({ kind, status, before, after }, { existed }) => {
  if (kind !== "Ingress") return [];
  const [was, now] = [hostsOf(before), hostsOf(after)];
  if (status === "removed") return [`removed: stops serving ${was.join(", ") || "its hosts"}`];
  if (status === "added") return existed && now.length ? [`new Ingress serves ${now.join(", ")}`] : [];
  return was.join() === now.join() ? [] : [`hosts ${was.join(", ") || "(none)"} → ${now.join(", ") || "(none)"}`];
};

const imagesWithoutDigest: Check = ({ status, before, after }, { requiresDigests }) => {
  if (!requiresDigests || status === "removed" || !after) return [];
  const pod = podSpec(after);
  if (!pod) return [];
  const oldImages = new Set(before && podSpec(before) ? containers(podSpec(before)!).map((c) => c.container.image) : []);
  return containers(pod).flatMap((c) => {
    const image = text(c.container.image);
    if (!image || oldImages.has(image)) return [];
    const { digest } = parseImage(image);
    return digest && matches(IMAGE_DIGEST, digest) ? [] : [`${label(c)}: image ${image} has no digest, but this environment pins images by digest (policy.requireImageDigests)`];
  });
};

const CHECKS: readonly Check[] = [volumes, replicasToZero, securityLoosened, networkWidened, ingressHosts, imagesWithoutDigest];

/** Every risky change of the diff, grouped as the diff is; `requiresDigests` tells an environment's policy. */
export function findRisks(diffs: readonly GroupDiff[], requiresDigests: (env: string) => boolean): Risk[] {
  return diffs.flatMap(({ group, objects, existed }) =>
    objects.flatMap((change) => {
      const ctx = { existed, requiresDigests: requiresDigests(group.env) };
      return CHECKS.flatMap((check) => check(change, ctx)).map((message) => ({ group, kind: change.kind, name: change.name, message }));
    }),
  );
}
