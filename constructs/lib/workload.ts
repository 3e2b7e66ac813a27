/**
 * The shapes every component is built from: a Deployment (Api, Proxy, Frontend) or a single-pod
 * StatefulSet (Database, Cache), each with its own ServiceAccount, a Service over its named ports and a
 * pod template from podSpec. Each construct decides its containers; this decides everything else, once.
 */
import { createHash } from "node:crypto";
import type { Construct } from "constructs";
import { serviceAccount } from "./component";
import { KEEP_DATA_ANNOTATIONS, RETAIN_VOLUMES } from "./data-protection";
import { k8s } from "./k8s";
import { LABEL } from "./labels";
import { podSpec, type ContainerSpec, type RunAs } from "./pod";
import { addScalingObjects, maxPods, replicasField, type ScalingProps } from "./scaling";
import { volumeClaimTemplate, type VolumeSize } from "./volumes";

/** What both shapes need to know. */
export interface WorkloadInput {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Readonly<Record<string, string>>;
  readonly runAs: RunAs;
  readonly containers: readonly ContainerSpec[];
  readonly volumes?: readonly k8s.Volume[];
  /** Ports the Service exposes, by name; each targets the container port of the same name. */
  readonly servicePorts: Readonly<Record<string, number>>;
  /** Rendered config the pods read; its hash on the pod template rolls pods when it changes. */
  readonly configText?: string;
}

export interface StatelessWorkloadInput extends WorkloadInput, ScalingProps {}

export interface StatefulWorkloadInput extends WorkloadInput {
  /** Service without a cluster IP: clients resolve the pod itself (databases). */
  readonly headless: boolean;
  /** The pod's data volume, mounted by the containers as `data`; protected from every kind of deletion. */
  readonly data?: VolumeSize;
}

export function checksum(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Throws, naming `owner`, at the first key that is not an environment variable name. */
export function checkEnvNames(owner: string, keys: readonly string[]): void {
  const bad = keys.find((k) => !ENV_NAME.test(k));
  if (bad !== undefined) throw new Error(`${owner}: '${bad}' is not a valid environment variable name`);
}

export function configMap(
  scope: Construct,
  name: string,
  labels: Record<string, string>,
  data: Record<string, string>,
): k8s.KubeConfigMap {
  return new k8s.KubeConfigMap(scope, "config", { metadata: { name, labels }, data });
}

function service(scope: Construct, input: WorkloadInput, headless: boolean): void {
  new k8s.KubeService(scope, "service", {
    metadata: { name: input.name, labels: input.labels },
    spec: {
      ...(headless ? { clusterIp: "None" } : { type: "ClusterIP" }),
      selector: { ...input.selector },
      ports: Object.entries(input.servicePorts).map(([name, port]) => ({
        name,
        port,
        targetPort: k8s.IntOrString.fromString(name),
        protocol: "TCP",
      })),
    },
  });
}

function podTemplate(input: WorkloadInput, spread: boolean): k8s.PodTemplateSpec {
  return {
    metadata: {
      labels: input.labels,
      ...(input.configText ? { annotations: { "slipway.dev/config-hash": checksum(input.configText) } } : {}),
    },
    spec: podSpec({
      serviceAccountName: input.name,
      runAs: input.runAs,
      containers: input.containers,
      ...(input.volumes ? { volumes: input.volumes } : {}),
      ...(spread ? { spreadSelector: input.selector } : {}),
    }),
  };
}

export function statelessWorkload(scope: Construct, input: StatelessWorkloadInput): k8s.KubeDeployment {
  serviceAccount(scope, input.name, input.labels);
  const deployment = new k8s.KubeDeployment(scope, "deployment", {
    metadata: { name: input.name, labels: input.labels },
    spec: {
      ...replicasField(input),
      revisionHistoryLimit: 5,
      selector: { matchLabels: { ...input.selector } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: k8s.IntOrString.fromString("25%"), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
      template: podTemplate(input, maxPods(input) >= 2),
    },
  });
  service(scope, input, false);
  addScalingObjects(scope, deployment, input.labels, { ...input.selector }, input);
  return deployment;
}

/** volumeClaimTemplates are immutable: a version label there would fail the sync of every image upgrade. */
function withoutVersion(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([key]) => key !== LABEL.version));
}

/** One pod with a stable identity; its data volume outlives the StatefulSet, scale-downs and syncs. */
export function statefulWorkload(scope: Construct, input: StatefulWorkloadInput): k8s.KubeStatefulSet {
  serviceAccount(scope, input.name, input.labels);
  service(scope, input, input.headless);
  return new k8s.KubeStatefulSet(scope, "statefulset", {
    metadata: { name: input.name, labels: input.labels, ...(input.data ? { annotations: KEEP_DATA_ANNOTATIONS } : {}) },
    spec: {
      serviceName: input.name,
      replicas: 1,
      selector: { matchLabels: { ...input.selector } },
      template: podTemplate(input, false),
      ...(input.data
        ? {
            persistentVolumeClaimRetentionPolicy: RETAIN_VOLUMES,
            volumeClaimTemplates: [volumeClaimTemplate("data", withoutVersion(input.labels), input.data)],
          }
        : {}),
    },
  });
}
