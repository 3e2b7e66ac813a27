/**
 * How every Slipway pod is built: the Pod Security Standards "restricted" security context, resources,
 * probes, writable scratch space on a read-only root filesystem, and topology spread. One place, used by
 * every workload construct.
 */
import { PropsError } from "../../lib/errors";
import { k8s } from "./k8s";
import { imageReference, type Image } from "./image";

/** Requests and the memory limit. No CPU limit: throttling costs latency and protects nothing. */
export interface ResourceRequirements {
  /** CPU request, e.g. `250m`. */
  readonly cpu: string;
  /** Memory request; also the limit unless `memoryLimit` is set. */
  readonly memory: string;
  /**
   * Memory limit.
   * @default the memory request
   */
  readonly memoryLimit?: string;
}

export function resources(r: ResourceRequirements): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(r.cpu), memory: k8s.Quantity.fromString(r.memory) },
    limits: { memory: k8s.Quantity.fromString(r.memoryLimit ?? r.memory) },
  };
}

/** The unprivileged identity a pod runs as; images differ (nginx 101, postgres 999, node 1000). */
export interface RunAs {
  readonly user: number;
  /** @default the user id */
  readonly group?: number;
}

export function podSecurityContext(runAs: RunAs): k8s.PodSecurityContext {
  const group = runAs.group ?? runAs.user;
  return {
    runAsNonRoot: true,
    runAsUser: runAs.user,
    runAsGroup: group,
    fsGroup: group,
    fsGroupChangePolicy: "OnRootMismatch",
    seccompProfile: { type: "RuntimeDefault" },
  };
}

export const CONTAINER_SECURITY_CONTEXT: k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/**
 * How the kubelet checks a container: an HTTP path on a named port, a TCP connect to a named port, a command
 * that exits 0, or a gRPC health check on a port number (Kubernetes' gRPC probe takes numbers only).
 */
export type HealthCheck =
  | { readonly http: string; readonly port: string }
  | { readonly tcp: string }
  | { readonly exec: readonly string[] }
  | { readonly grpc: number; readonly service?: string };

export interface ProbeSettings {
  readonly check: HealthCheck;
  /**
   * How long a container may take to start before it is restarted (covers migrations, initdb, JIT warm-up).
   * @default 60
   */
  readonly startupSeconds?: number;
}

function action(check: HealthCheck): Pick<k8s.Probe, "httpGet" | "tcpSocket" | "exec" | "grpc"> {
  if ("http" in check) return { httpGet: { path: check.http, port: k8s.IntOrString.fromString(check.port) } };
  if ("tcp" in check) return { tcpSocket: { port: k8s.IntOrString.fromString(check.tcp) } };
  if ("grpc" in check) return { grpc: { port: check.grpc, ...(check.service !== undefined ? { service: check.service } : {}) } };
  return { exec: { command: [...check.exec] } };
}

/**
 * Startup, readiness and liveness probes from one check. Liveness is lenient (restarts hurt), readiness
 * is quick (traffic moves away fast), startup gives the slow first boot its time.
 */
export function probes(p: ProbeSettings): Pick<k8s.Container, "startupProbe" | "readinessProbe" | "livenessProbe"> {
  const periodSeconds = 5;
  const startupSeconds = p.startupSeconds ?? 60;
  return {
    startupProbe: { ...action(p.check), periodSeconds, failureThreshold: Math.ceil(startupSeconds / periodSeconds), timeoutSeconds: 3 },
    readinessProbe: { ...action(p.check), periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 },
    livenessProbe: { ...action(p.check), periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 },
  };
}

export interface ContainerSpec {
  readonly name: string;
  readonly image: Image;
  readonly resources: ResourceRequirements;
  /** Named ports, e.g. `{ http: 8000 }`. */
  readonly ports?: Readonly<Record<string, number>>;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly k8s.EnvVar[];
  readonly envFrom?: readonly k8s.EnvFromSource[];
  /** Probes; omitted only for run-to-completion containers (Jobs). */
  readonly probes?: ProbeSettings;
  /** Paths the process writes to, each an emptyDir (the root filesystem is read-only). */
  readonly writablePaths?: readonly string[];
  readonly volumeMounts?: readonly k8s.VolumeMount[];
}

/** A volume name Kubernetes accepts for a writable path: `/var/cache/nginx` → `var-cache-nginx`. */
export function scratchVolumeName(path: string): string {
  return path.replace(/^\/+|\/+$/g, "").replace(/[^a-z0-9]+/gi, "-").toLowerCase() || "root";
}

export function container(spec: ContainerSpec): k8s.Container {
  const scratch = (spec.writablePaths ?? []).map((path) => ({ name: scratchVolumeName(path), mountPath: path }));
  const mounts = [...scratch, ...(spec.volumeMounts ?? [])];
  return {
    name: spec.name,
    image: imageReference(spec.image),
    imagePullPolicy: "IfNotPresent",
    ...(spec.command ? { command: [...spec.command] } : {}),
    ...(spec.args ? { args: [...spec.args] } : {}),
    ...(spec.ports
      ? { ports: Object.entries(spec.ports).map(([name, containerPort]) => ({ name, containerPort, protocol: "TCP" })) }
      : {}),
    ...(spec.envFrom?.length ? { envFrom: [...spec.envFrom] } : {}),
    ...(spec.env?.length ? { env: [...spec.env] } : {}),
    resources: resources(spec.resources),
    ...(spec.probes ? probes(spec.probes) : {}),
    securityContext: CONTAINER_SECURITY_CONTEXT,
    ...(mounts.length ? { volumeMounts: mounts } : {}),
  };
}

export interface PodSpecInput {
  readonly serviceAccountName: string;
  readonly runAs: RunAs;
  readonly containers: readonly ContainerSpec[];
  /** Run to completion, in order, before the containers start; same security context. */
  readonly initContainers?: readonly ContainerSpec[];
  readonly volumes?: readonly k8s.Volume[];
  /** Pod labels to spread across nodes and zones; omit for single pods and jobs. */
  readonly spreadSelector?: Readonly<Record<string, string>>;
  readonly restartPolicy?: "Always" | "OnFailure" | "Never";
}

/** The pod spec every workload uses: own ServiceAccount without a token, restricted security context. */
export function podSpec(input: PodSpecInput): k8s.PodSpec {
  const all = [...(input.initContainers ?? []), ...input.containers];
  const scratch = [...new Set(all.flatMap((c) => c.writablePaths ?? []))].map((path) => ({
    name: scratchVolumeName(path),
    emptyDir: {},
  }));
  const volumes = [...scratch, ...(input.volumes ?? [])];
  const clash = volumes.find((v, i) => volumes.findIndex((w) => w.name === v.name) !== i);
  if (clash) throw new PropsError(`pod of '${input.serviceAccountName}': two volumes are named '${clash.name}'; rename the volume or the writable path`);
  return {
    serviceAccountName: input.serviceAccountName,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: podSecurityContext(input.runAs),
    ...(input.restartPolicy ? { restartPolicy: input.restartPolicy } : {}),
    ...(input.initContainers?.length ? { initContainers: input.initContainers.map(container) } : {}),
    containers: input.containers.map(container),
    ...(volumes.length ? { volumes } : {}),
    ...(input.spreadSelector ? { topologySpreadConstraints: topologySpread(input.spreadSelector) } : {}),
  };
}

/** Spread over nodes (hard) and zones (soft: single-zone clusters must still schedule). */
export function topologySpread(selector: Readonly<Record<string, string>>): k8s.TopologySpreadConstraint[] {
  const labelSelector = { matchLabels: { ...selector } };
  return [
    { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector },
    { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector },
  ];
}
