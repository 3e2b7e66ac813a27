/**
 * An HTTP API (FastAPI, Django, Wagtail…): Deployment and Service with probes, configuration from a
 * ConfigMap, secrets by reference, an HPA or a fixed replica count, a PDB when it runs two or more pods,
 * and an optional database-migration Job that Argo CD runs before the new version rolls out.
 */
import { k8s } from "./lib/k8s";
import type { Construct } from "constructs";
import { Component, serviceAccount } from "./lib/component";
import type { Image } from "./lib/image";
import { componentLabels, selectorLabels } from "./lib/labels";
import { podSpec, type ContainerSpec, type ResourceRequirements } from "./lib/pod";
import { checkScaling, type ScalingProps } from "./lib/scaling";
import { byCodePoint, sortedRecord } from "../lib/order";
import { checkEnvNames, configMap, statelessWorkload } from "./lib/workload";
import type { SecretKeyRef } from "./external-secret";

export interface MigrationProps {
  /** Command that migrates the schema and exits, e.g. `["alembic", "upgrade", "head"]`. */
  readonly command: readonly string[];
  /**
   * Longest a migration may run before the sync fails.
   * @default 600
   */
  readonly timeoutSeconds?: number;
}

export interface ApiProps extends ScalingProps {
  /** Application image, pinned by the environment file. */
  readonly image: Image;
  /**
   * Port the server listens on.
   * @default 8000
   */
  readonly port?: number;
  /**
   * Path answering 200 when the process is healthy; used by all three probes.
   * @default "/healthz"
   */
  readonly healthPath?: string;
  /**
   * Plain settings, rendered into the `<name>` ConfigMap and read as environment variables.
   * @default {}
   */
  readonly config?: Readonly<Record<string, string>>;
  /**
   * Environment variables read from Secrets, by variable name. Only references are rendered.
   * @default {}
   */
  readonly secretEnv?: Readonly<Record<string, SecretKeyRef>>;
  /**
   * Schema migration run as an Argo CD hook before the API rolls out.
   * @default - no migration Job
   */
  readonly migration?: MigrationProps;
  /**
   * @default { cpu: "100m", memory: "256Mi" }
   */
  readonly resources?: ResourceRequirements;
  /**
   * uid the image runs as.
   * @default 10001
   */
  readonly runAsUser?: number;
}

/** Argo CD runs the migration in the Sync phase, in its own wave (see constructs/lib/sync-waves.ts). */
export const MIGRATION_HOOK_ANNOTATIONS = {
  "argocd.argoproj.io/hook": "Sync",
  "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
};

export class Api extends Component {
  readonly ports: Readonly<Record<string, number>>;
  /** The migration Job as a network caller; undefined without migrations. */
  readonly migrationJob?: { name: string; selector: Record<string, string>; ports: Record<string, number> };

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id, "Api", "api");
    const me = this.describe();
    checkScaling(me, props);
    const port = props.port ?? 8000;
    if (!Number.isInteger(port) || port < 1024 || port > 65535) {
      throw new Error(`${me}: 'port' must be an unprivileged port between 1024 and 65535 (got ${port})`);
    }
    checkEnvNames(me, [...Object.keys(props.config ?? {}), ...Object.keys(props.secretEnv ?? {})]);
    const clash = Object.keys(props.secretEnv ?? {}).find((k) => k in (props.config ?? {}));
    if (clash !== undefined) {
      throw new Error(`${me}: '${clash}' is set both in 'config' and in 'secretEnv'; keep it in one of them`);
    }
    this.ports = { http: port };

    const labels = this.labels(props.image.tag);
    const config = sortedRecord(props.config ?? {});
    configMap(this, this.name, labels, config);
    const app: ContainerSpec = {
      name: "api",
      image: props.image,
      resources: props.resources ?? { cpu: "100m", memory: "256Mi" },
      ports: this.ports,
      envFrom: [{ configMapRef: { name: this.name } }],
      env: secretEnv(props.secretEnv ?? {}),
      probes: { check: { http: props.healthPath ?? "/healthz", port: "http" } },
      writablePaths: ["/tmp"],
    };
    const runAs = { user: props.runAsUser ?? 10001 };
    statelessWorkload(this, {
      ...props,
      name: this.name,
      labels,
      selector: this.selector,
      runAs,
      containers: [app],
      servicePorts: this.ports,
      configText: JSON.stringify(config),
    });
    if (props.migration) this.migrationJob = this.addMigration(props.migration, app, runAs, props.image.tag);
  }

  private addMigration(migration: MigrationProps, app: ContainerSpec, runAs: { user: number }, version: string) {
    const name = `${this.name}-migrate`;
    const selector = selectorLabels(this, name);
    const labels = { ...componentLabels(name, "migration", version), ...selector };
    serviceAccount(this, name, labels);
    new k8s.KubeJob(this, "migration", {
      metadata: { name, labels, annotations: MIGRATION_HOOK_ANNOTATIONS },
      spec: {
        backoffLimit: 1,
        activeDeadlineSeconds: migration.timeoutSeconds ?? 600,
        template: {
          metadata: { labels },
          spec: podSpec({
            serviceAccountName: name,
            runAs,
            restartPolicy: "Never",
            containers: [{ ...app, name: "migrate", command: migration.command, ports: undefined, probes: undefined }],
          }),
        },
      },
    });
    return { name, selector, ports: {} };
  }
}

function secretEnv(refs: Readonly<Record<string, SecretKeyRef>>): k8s.EnvVar[] {
  return Object.entries(refs)
    .sort(([a], [b]) => byCodePoint(a, b))
    .map(([name, ref]) => ({ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } }));
}
