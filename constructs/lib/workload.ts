/**
 * The one surface every component that runs pods shares: image, command and args, environment (plain,
 * Secret keys, connections), ports, probes, volumes, writable paths, init containers, resources and the
 * identity it runs as. Api, Worker, Frontend, Proxy, Database, Cache, Job and CronJob are presets on it:
 * each gives its defaults and picks the controller (Deployment, StatefulSet, Job, CronJob); this decides
 * everything else, once.
 *
 * The pod template is rendered when the chart is written, so connections made after a component is
 * created (`api.connect(database)`) reach its containers.
 */
import { PropsError } from "../../lib/errors";
import { createHash } from "node:crypto";
import { Lazy } from "cdk8s";
import type { Construct } from "constructs";
import { byCodePoint } from "../../lib/order";
import { resourceProblems } from "../../lib/bounds";
import { cpuMillis, quantityBytes } from "../../lib/quantity";
import { Component, serviceAccount, type Connectable, type ConnectOptions } from "./component";
import { EnvironmentVariables, envPrefixOf, type Env } from "./env";
import type { Image } from "./image";
import { k8s } from "./k8s";
import { LABEL } from "./labels";
import { podSpec, scratchVolumeName, type ContainerSpec, type HealthCheck, type ResourceRequirements, type RunAs } from "./pod";
import type { Role } from "./roles";
import { addScalingObjects, checkScaling, maxPods, replicasField, resolveScaling, type ScalingProps } from "./scaling";
import { KEEP_DATA_ANNOTATIONS, RETAIN_VOLUMES } from "./data-protection";
import { checkVolumeSize, mountsOf, volumeClaimTemplate, type Claim, type Mount, type VolumeSize } from "./volumes";

/** What a container runs and sees. */
export interface ContainerProps {
  /** Image, pinned by the environment file. */
  readonly image: Image;
  /**
   * The executable and its arguments, replacing the image's ENTRYPOINT (e.g. for images whose entrypoint
   * is only `tini`).
   * @default - the image's ENTRYPOINT (or the component's own, where it says so)
   */
  readonly command?: readonly string[];
  /**
   * Arguments, replacing the image's CMD.
   * @default - the image's CMD
   */
  readonly args?: readonly string[];
  /**
   * Environment variables: plain text, or a Secret key (only the reference is rendered). Connections add
   * their own; a name set twice is an error.
   * @default {}
   */
  readonly env?: Env;
  /**
   * Requests and memory limit.
   * @default - the component's own (see its Props)
   */
  readonly resources?: ResourceRequirements;
  /**
   * Paths the process writes to, each an emptyDir: the root filesystem is read-only.
   * @default - the component's own (at least /tmp)
   */
  readonly writablePaths?: readonly string[];
  /**
   * More volumes, by mount path: scratch space with a size limit, a claim (a SharedVolume, or an existing
   * one), or the files of a ConfigMap or Secret.
   * @default {}
   */
  readonly volumes?: Readonly<Record<string, Mount>>;
}

/** A step that runs to completion before the containers start (e.g. `manage.py migrate`). */
export interface InitContainerProps {
  /** Container name, e.g. `migrate`. */
  readonly name: string;
  readonly command: readonly string[];
  /**
   * @default - the image's CMD
   */
  readonly args?: readonly string[];
  /**
   * @default - the component's image
   */
  readonly image?: Image;
  /**
   * @default - the component's resources
   */
  readonly resources?: ResourceRequirements;
  /**
   * Variables only this step sees, besides the component's (e.g. a dump's database credentials, which the
   * container that uploads the dump never gets); a name the component also sets is an error.
   * @default {}
   */
  readonly env?: Env;
}

export interface WorkloadProps extends ContainerProps {
  /**
   * Ports the container serves, by name; names are what Services, probes and connections refer to.
   * @default - the component's own (see its Props)
   */
  readonly ports?: Readonly<Record<string, number>>;
  /**
   * How the kubelet checks the container: startup, readiness and liveness probes all use it.
   * @default - the component's own (see its Props)
   */
  readonly probe?: HealthCheck;
  /**
   * How long the container may take to start before it is restarted (migrations at boot, JIT warm-up).
   * @default 60
   */
  readonly startupSeconds?: number;
  /**
   * Steps run in order before the container starts, with its environment, volumes and security context.
   * @default []
   */
  readonly initContainers?: readonly InitContainerProps[];
  /**
   * uid the image runs as (never 0).
   * @default - the component's own (see its Props)
   */
  readonly runAsUser?: number;
  /**
   * gid the image runs as; also owns mounted volumes.
   * @default the uid
   */
  readonly runAsGroup?: number;
}

/**
 * What an application's container (an API, a worker, a job) gets where its component says nothing: a
 * uid no base image claims, modest requests, and a writable /tmp.
 */
export const APP_DEFAULTS = {
  runAsUser: 10001,
  resources: { cpu: "100m", memory: "256Mi" } satisfies ResourceRequirements,
  writablePaths: ["/tmp"],
} as const;

/** What a kind of component gives the shared surface: its defaults where the props are silent, and its nature. */
export interface Preset {
  /** Serves continuously (Deployment, StatefulSet) rather than running to completion (Job, CronJob). */
  readonly longRunning: boolean;
  /** @default {} */
  readonly ports?: Readonly<Record<string, number>>;
  /** Undefined for containers that run to completion (Jobs), which get no probes. */
  readonly probe?: HealthCheck;
  readonly startupSeconds?: number;
  /** @default APP_DEFAULTS.resources */
  readonly resources?: ResourceRequirements;
  /** @default APP_DEFAULTS.runAsUser */
  readonly runAsUser?: number;
  /** @default APP_DEFAULTS.writablePaths */
  readonly writablePaths?: readonly string[];
  readonly command?: readonly string[];
}

/** Unprivileged ports only: every container drops all capabilities, NET_BIND_SERVICE included. */
const MIN_PORT = 1024;
const MAX_PORT = 65535;
const PORT_NAME = /^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;
/** Extra pods a rolling update starts before it stops old ones, as a share of the replicas. */
const SURGE = 0.25;

export function checksum(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export abstract class Workload extends Component {
  readonly image: Image;
  readonly ports: Readonly<Record<string, number>>;
  readonly resources: ResourceRequirements;
  /** Serves continuously (Deployment, StatefulSet) rather than running to completion (Job, CronJob). */
  readonly longRunning: boolean;
  protected readonly runAs: RunAs;
  private readonly env: EnvironmentVariables;
  private readonly envOwner?: Workload;
  private readonly main: Omit<ContainerSpec, "env" | "volumeMounts">;
  private readonly inits: readonly (Omit<ContainerSpec, "env" | "volumeMounts"> & { readonly ownEnv: EnvironmentVariables })[];
  /** Shared by the main and the init containers; config files and the data volume join them later. */
  private readonly volumeMounts: k8s.VolumeMount[];
  private readonly volumes: k8s.Volume[];
  private readonly writablePaths: readonly string[];
  private readonly configFiles = new Map<string, string>();
  private readonly companions: Workload[] = [];
  private readonly claims: Claim[] = [];
  private peakPods = 1;
  private dataVolume?: VolumeSize;

  /**
   * @param envOwner a component whose environment this one shares (a migration Job shares its API's):
   *   connections are then made on the owner, and reach both
   */
  protected constructor(scope: Construct, id: string, kind: string, role: Role, props: WorkloadProps, preset: Preset, envOwner?: Workload) {
    super(scope, id, kind, role);
    const me = this.description;
    this.longRunning = preset.longRunning;
    this.image = props.image;
    this.policy.metadata.addLabel(LABEL.version, props.image.tag);
    this.ports = props.ports ?? preset.ports ?? {};
    for (const [name, port] of Object.entries(this.ports)) {
      if (!PORT_NAME.test(name)) throw new PropsError(`${me}: port name '${name}' must be at most 15 lower-case letters, digits and '-'`);
      if (!Number.isInteger(port) || port < MIN_PORT || port > MAX_PORT) {
        throw new PropsError(`${me}: port '${name}' must be an unprivileged port between ${MIN_PORT} and ${MAX_PORT} (got ${port})`);
      }
    }
    const user = props.runAsUser ?? preset.runAsUser ?? APP_DEFAULTS.runAsUser;
    if (!Number.isInteger(user) || user < 1) throw new PropsError(`${me}: 'runAsUser' must be a uid ≥ 1 (got ${user}); containers never run as root`);
    this.runAs = { user, ...(props.runAsGroup !== undefined ? { group: props.runAsGroup } : {}) };
    if (envOwner) {
      if (props.env && Object.keys(props.env).length) throw new PropsError(`${me}: its environment is ${envOwner.description}'s; set 'env' there`);
      this.env = envOwner.env;
      this.envOwner = envOwner;
      envOwner.companions.push(this);
    } else {
      this.env = new EnvironmentVariables(me, this.name);
      this.env.add(props.env ?? {}, "its env", ["env"]);
    }
    this.writablePaths = props.writablePaths ?? preset.writablePaths ?? APP_DEFAULTS.writablePaths;
    this.volumes = [];
    this.volumeMounts = [];
    for (const [path, mount] of Object.entries(props.volumes ?? {})) this.addVolume(path, mount);
    const resources = props.resources ?? preset.resources ?? APP_DEFAULTS.resources;
    for (const [field, r] of [["resources", resources], ...(props.initContainers ?? []).map((i, n) => [`initContainers[${n}].resources`, i.resources] as const)] as const) {
      const [problem] = r ? resourceProblems(r) : [];
      if (problem) throw new PropsError(`${me}: '${field}.${problem.field}': ${problem.message}`);
    }
    this.resources = resources;
    const probe = props.probe ?? preset.probe;
    const command = props.command ?? preset.command;
    this.main = {
      name: this.name,
      image: props.image,
      resources,
      ...(Object.keys(this.ports).length ? { ports: this.ports } : {}),
      ...(command ? { command } : {}),
      ...(props.args ? { args: props.args } : {}),
      ...(probe ? { probes: { check: probe, startupSeconds: props.startupSeconds ?? preset.startupSeconds } } : {}),
      writablePaths: this.writablePaths,
    };
    this.inits = (props.initContainers ?? []).map((init) => ({
      ownEnv: ownEnvironment(`init container '${init.name}' of ${me}`, init.env ?? {}),
      name: init.name,
      image: init.image ?? props.image,
      resources: init.resources ?? resources,
      command: init.command,
      ...(init.args ? { args: init.args } : {}),
      writablePaths: this.writablePaths,
    }));
    this.checkInitEnv(this.env.names());
    const names = [this.name, ...this.inits.map((i) => i.name)];
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice !== undefined) throw new PropsError(`${me}: two containers are named '${twice}'; init containers need names of their own`);
  }

  /** Connections reach every component that shares this one's environment (its migration Jobs). */
  override connect(target: Connectable, options: ConnectOptions = {}): this {
    if (this.envOwner && options.envPrefix !== false) {
      throw new PropsError(`${this.description}: its environment is ${this.envOwner.description}'s; connect ${this.envOwner.description} instead`);
    }
    super.connect(target, options);
    for (const companion of this.companions) companion.connect(target, { ...options, envPrefix: false });
    return this;
  }

  get envPrefix(): string {
    return envPrefixOf(this.name);
  }

  /** `<PREFIX>_URL`, the in-cluster base URL, for components that serve HTTP on a port named `http`. */
  connectionEnv(prefix: string): Env {
    const port = this.ports.http;
    return port === undefined ? {} : { [`${prefix}_URL`]: `http://${this.name}:${port}` };
  }

  protected addEnv(env: Env, from: string): void {
    this.checkInitEnv(Object.keys(env));
    this.env.add(env, from);
  }

  /** An init container's own variable may not shadow one the whole component gets. */
  private checkInitEnv(names: readonly string[]): void {
    for (const init of this.inits) {
      const twice = names.find((name) => init.ownEnv.has(name));
      if (twice !== undefined) throw new PropsError(`${init.ownEnv.owner}: '${twice}' is also set for the whole of ${this.description}; keep one`);
    }
  }

  /** What it may ask of its namespace at once, at its largest: pods, and the requests and limits of all of them. */
  get peak(): { readonly pods: number; readonly cpuMillis: number; readonly memoryBytes: number; readonly memoryLimitBytes: number; readonly storageBytes: number } {
    const { cpu, memory, memoryLimit } = this.resources;
    return {
      pods: this.peakPods,
      cpuMillis: this.peakPods * cpuMillis(cpu),
      memoryBytes: this.peakPods * quantityBytes(memory),
      memoryLimitBytes: this.peakPods * quantityBytes(memoryLimit ?? memory),
      storageBytes: this.dataVolume ? quantityBytes(this.dataVolume.size) : 0,
    };
  }

  /** Whether a variable is set, by the props or a connection. */
  hasEnv(name: string): boolean {
    return this.env.has(name);
  }

  /**
   * Renders `files` (by mount path) into a ConfigMap named after the component and mounts each file
   * read-only; their hash on the pod template rolls the pods when a file changes.
   */
  protected addConfigFiles(files: Readonly<Record<string, string>>, labels: Record<string, string>): void {
    const data: Record<string, string> = {};
    for (const [path, text] of Object.entries(files)) {
      const key = path.slice(path.lastIndexOf("/") + 1);
      data[key] = text;
      this.configFiles.set(path, text);
    }
    new k8s.KubeConfigMap(this, "config", { metadata: { name: this.name, labels }, data });
    for (const path of Object.keys(files)) {
      this.volumeMounts.push({ name: "config", mountPath: path, subPath: path.slice(path.lastIndexOf("/") + 1), readOnly: true });
    }
    this.volumes.push({ name: "config", configMap: { name: this.name } });
  }

  /** Mounts one more volume, at `path`, in the main and the init containers. */
  protected addVolume(path: string, mount: Mount): void {
    const added = mountsOf(this.description, { [path]: mount });
    const taken = new Set([...this.writablePaths.map(scratchVolumeName), ...this.volumes.map((v) => v.name)]);
    const clash = added.volumes.find((v) => taken.has(v.name));
    if (clash) throw new PropsError(`${this.description}: two volumes are named '${clash.name}' (at '${path}'); mount it elsewhere, or drop the writable path`);
    if ("claim" in mount) {
      mount.claim.mountedBy(this);
      this.claims.push(mount.claim);
    }
    this.volumes.push(...added.volumes);
    this.volumeMounts.push(...added.volumeMounts);
  }

  /** The pod template, rendered when the chart is written. */
  protected podTemplate(labels: Record<string, string>, options: { spread?: boolean; restartPolicy?: "Always" | "OnFailure" | "Never" } = {}): k8s.PodTemplateSpec {
    return Lazy.any({ produce: () => this.renderPodTemplate(labels, options) });
  }

  private renderPodTemplate(labels: Record<string, string>, options: { spread?: boolean; restartPolicy?: "Always" | "OnFailure" | "Never" }): k8s.PodTemplateSpec {
    const env = this.env.rendered();
    const initEnv = (own: EnvironmentVariables) => [...env, ...own.rendered()].sort((a, b) => byCodePoint(a.name, b.name));
    const config = [...this.configFiles].sort(([a], [b]) => byCodePoint(a, b)).map(([, text]) => text).join("\n");
    const secrets = [this.env, ...this.inits.map((i) => i.ownEnv)].flatMap((e) => e.secretVersions()).sort(byCodePoint).join("\n");
    const annotations = {
      ...(config ? { "slipway.dev/config-hash": checksum(config) } : {}),
      ...(secrets ? { "slipway.dev/secrets-hash": checksum(secrets) } : {}),
    };
    return {
      metadata: { labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
      spec: podSpec({
        serviceAccountName: this.serviceAccountName,
        runAs: this.runAs,
        initContainers: this.inits.map(({ ownEnv, ...c }) => ({ ...c, env: initEnv(ownEnv), volumeMounts: this.volumeMounts })),
        containers: [{ ...this.main, env, volumeMounts: this.volumeMounts }],
        volumes: this.volumes,
        ...(options.spread ? { spreadSelector: this.selector } : {}),
        ...(options.restartPolicy ? { restartPolicy: options.restartPolicy } : {}),
      }),
    };
  }

  /** Its own ServiceAccount, named after it. */
  protected get serviceAccountName(): string {
    return this.name;
  }

  /**
   * The spec of a Job that runs this component's pod to completion, under its own ServiceAccount: at most
   * `timeoutSeconds`, retried `retries` times after a failure.
   */
  protected runToCompletion(labels: Record<string, string>, run: { timeoutSeconds: number; retries: number }, restartPolicy: "Never" | "OnFailure"): k8s.JobSpec {
    const me = this.description;
    if (!Number.isInteger(run.timeoutSeconds) || run.timeoutSeconds < 1) throw new PropsError(`${me}: 'timeoutSeconds' must be an integer ≥ 1 (got ${run.timeoutSeconds})`);
    if (!Number.isInteger(run.retries) || run.retries < 0) throw new PropsError(`${me}: 'retries' must be an integer ≥ 0 (got ${run.retries})`);
    serviceAccount(this, this.name, labels);
    return { backoffLimit: run.retries, activeDeadlineSeconds: run.timeoutSeconds, template: this.podTemplate(labels, { restartPolicy }) };
  }

  /**
   * A ClusterIP (or headless) Service over its named ports (those a caller may reach, see servicePorts), each
   * targeting the container port of the same name.
   */
  protected addService(labels: Record<string, string>, options: { headless?: boolean } = {}): void {
    new k8s.KubeService(this, "service", {
      metadata: { name: this.name, labels },
      spec: {
        ...(options.headless ? { clusterIp: "None" } : { type: "ClusterIP" }),
        selector: { ...this.selector },
        ports: Lazy.any({
          produce: () =>
            Object.entries(this.servicePorts()).map(([name, port]) => ({ name, port, targetPort: k8s.IntOrString.fromString(name), protocol: "TCP" })),
        }),
      },
    });
  }

  /** A Deployment (rolling, never below the current pod count), with its HPA and PDB when it scales. */
  protected addDeployment(labels: Record<string, string>, scaling: ScalingProps, strategy: "RollingUpdate" | "Recreate" = "RollingUpdate"): k8s.KubeDeployment {
    scaling = resolveScaling(this, scaling);
    checkScaling(this.description, scaling);
    // One node mounts a ReadWriteOnce claim: a second pod, or a new one started before the old stops, never starts elsewhere.
    const single = this.claims.find((c) => c.accessMode === "ReadWriteOnce" || c.accessMode === "ReadWriteOncePod");
    if (single && (maxPods(scaling) > 1 || scaling.autoscaling || strategy !== "Recreate")) {
      throw new PropsError(
        `${this.description}: it mounts the ${single.accessMode} claim '${single.claimName}', which one pod at a time can use; set strategy "Recreate" and one replica, without autoscaling (got ${scaling.autoscaling ? "autoscaling" : `${maxPods(scaling)} replica(s)`}, ${strategy})`,
      );
    }
    serviceAccount(this, this.name, labels);
    const deployment = new k8s.KubeDeployment(this, "deployment", {
      metadata: { name: this.name, labels },
      spec: {
        ...replicasField(scaling),
        revisionHistoryLimit: 5,
        selector: { matchLabels: { ...this.selector } },
        strategy:
          strategy === "Recreate"
            ? { type: "Recreate" }
            : { type: "RollingUpdate", rollingUpdate: { maxSurge: k8s.IntOrString.fromString(`${SURGE * 100}%`), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: this.podTemplate(labels, { spread: maxPods(scaling) >= 2 }),
      },
    });
    addScalingObjects(this, deployment, labels, { ...this.selector }, scaling);
    const pods = maxPods(scaling);
    this.peakPods = strategy === "Recreate" ? pods : pods + Math.ceil(pods * SURGE);
    return deployment;
  }

  /**
   * One pod with a stable identity. Its data volume (mounted at `data.mountPath`) outlives the StatefulSet,
   * scale-downs, syncs and the Application.
   */
  protected addStatefulSet(labels: Record<string, string>, data?: { readonly volume: VolumeSize; readonly mountPath: string }): k8s.KubeStatefulSet {
    serviceAccount(this, this.name, labels);
    if (data) {
      checkVolumeSize(this.description, "storage", data.volume);
      this.dataVolume = data.volume;
      this.volumeMounts.push({ name: "data", mountPath: data.mountPath });
    }
    return new k8s.KubeStatefulSet(this, "statefulset", {
      metadata: { name: this.name, labels, ...(data ? { annotations: KEEP_DATA_ANNOTATIONS } : {}) },
      spec: {
        serviceName: this.name,
        replicas: 1,
        selector: { matchLabels: { ...this.selector } },
        template: this.podTemplate(labels),
        ...(data
          ? {
              persistentVolumeClaimRetentionPolicy: RETAIN_VOLUMES,
              volumeClaimTemplates: [volumeClaimTemplate("data", withoutVersion(labels), data.volume)],
            }
          : {}),
      },
    });
  }
}

function ownEnvironment(owner: string, env: Env): EnvironmentVariables {
  const variables = new EnvironmentVariables(owner);
  variables.add(env, "its env");
  return variables;
}

/** Claim templates are immutable: a version label there would fail the sync of every image upgrade. */
function withoutVersion(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([key]) => key !== LABEL.version));
}

