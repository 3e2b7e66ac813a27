/**
 * Apache Solr (the official image, standalone) as a single-pod StatefulSet: a data volume that outlives the
 * StatefulSet, syncs and the Application; a core created on first start; probes on Solr's health endpoint;
 * and a Service only the components connected to it may reach. Its admin UI and its APIs share one port,
 * so nothing routes to it from outside: a Proxy route to it is refused, and the admin UI is switched off
 * unless asked for (then reached with `kubectl port-forward`).
 *
 * What the official image needs, from its Dockerfile (apache/solr-docker, e.g. `9.10/Dockerfile`) and its
 * scripts (apache/solr `solr/docker/scripts/`):
 * - uid/gid 8983 (`SOLR_UID`, `SOLR_GID`);
 * - `/var/solr` writable (`VOLUME /var/solr`; `SOLR_HOME=/var/solr/data`, `SOLR_LOGS_DIR=/var/solr/logs`,
 *   `SOLR_PID_DIR=/var/solr`, `LOG4J_PROPS=/var/solr/log4j2.xml`): the data volume. `docker-entrypoint.sh`
 *   runs `init-var-solr`, which creates `data/` and `logs/` and copies `log4j2.xml` onto an empty volume,
 *   so the image's ENTRYPOINT is kept and only its arguments are set;
 * - `/tmp`: `bin/solr` sets no `java.io.tmpdir`, so the JVM and Jetty write their temporary files there.
 * Everything else (`/opt/solr`, `/etc/default/solr.in.sh`) is only read: the root filesystem stays read-only.
 *
 * Basic authentication is not offered: Solr's security.json holds a salted double SHA-256 of each password,
 * which neither a Vault reference nor External Secrets' templates can compute from a stored password, and
 * nothing here can check a security.json against a real Solr. Access control is the network: only the
 * components `connect`ed to the index reach it.
 */
import { PropsError } from "../lib/errors";
import type { Construct } from "constructs";
import { JAVA_SIZE, SOLR_CORE, matches } from "../lib/formats";
import { quantityBytes } from "../lib/quantity";
import type { Component } from "./lib/component";
import type { Env } from "./lib/env";
import type { Image } from "./lib/image";
import type { NetworkPort } from "./lib/network";
import type { ResourceRequirements } from "./lib/pod";
import { checkVolumeSize, type VolumeSize } from "./lib/volumes";
import { Workload } from "./lib/workload";
import { Proxy } from "./proxy";

export interface SearchIndexProps {
  /** Solr image (the official one, or one built on it), pinned by the environment file. */
  readonly image: Image;
  /**
   * The core created on first start (`solr-precreate`), and the one clients' `SOLR_URL` points at.
   * @default "main"
   */
  readonly core?: string;
  /**
   * Folder of the configset the core is created from, inside the image (e.g. one your image adds under
   * /opt/solr/server/solr/configsets/).
   * @default - Solr's `_default` configset
   */
  readonly configSet?: string;
  /**
   * Data volume, mounted at /var/solr.
   * @default { size: "10Gi" }
   */
  readonly storage?: VolumeSize;
  /**
   * JVM heap (`SOLR_HEAP`); must leave at least a quarter of the memory limit to the JVM's own memory.
   * @default "512m"
   */
  readonly heap?: string;
  /**
   * @default { cpu: "250m", memory: "1Gi" }
   */
  readonly resources?: ResourceRequirements;
  /**
   * Serve the admin UI (for `kubectl port-forward`); it is never routed from outside either way.
   * @default false
   */
  readonly adminUi?: boolean;
}

const PORT = 8983;
/** uid/gid of the `solr` user in the official image (`SOLR_UID`, `SOLR_GID`). */
const SOLR_USER_ID = 8983;
const DATA_PATH = "/var/solr";
/**
 * Solr's node health check (HealthCheckHandler, Solr 8 and later): in standalone mode it answers 200 while the node's core
 * container runs. Node-wide on purpose: the per-core ping handler is not registered by every Solr version.
 */
const HEALTH_PATH = "/solr/admin/info/health";
/** Share of the memory limit the heap may take: the rest is metaspace, thread stacks and direct buffers. */
const MAX_HEAP_SHARE = 0.75;

const DEFAULTS = {
  core: "main",
  storage: { size: "10Gi" } satisfies VolumeSize,
  heap: "512m",
  resources: { cpu: "250m", memory: "1Gi" } satisfies ResourceRequirements,
  adminUi: false,
} as const;

const JAVA_UNIT: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Bytes in a JVM memory size (`512m`, `2g`); NaN when unreadable. */
export function javaBytes(size: string): number {
  if (!matches(JAVA_SIZE, size)) return NaN;
  return Number(size.slice(0, -1)) * JAVA_UNIT[size.slice(-1).toLowerCase()]!;
}

export class SearchIndex extends Workload {
  static readonly defaults = DEFAULTS;
  readonly core: string;

  constructor(scope: Construct, id: string, props: SearchIndexProps) {
    const core = props.core ?? DEFAULTS.core;
    super(scope, id, "SearchIndex", "data", { ...props, args: ["solr-precreate", core, ...(props.configSet ? [props.configSet] : [])] }, {
      longRunning: true,
      ports: { solr: PORT },
      probe: { http: HEALTH_PATH, port: "solr" },
      startupSeconds: 120,
      resources: DEFAULTS.resources,
      runAsUser: SOLR_USER_ID,
      writablePaths: ["/tmp"],
    });
    const me = this.description;
    if (!matches(SOLR_CORE, core)) throw new PropsError(`${me}: 'core' must be ${SOLR_CORE.expected} (got '${core}')`);
    if (props.configSet !== undefined && !props.configSet.startsWith("/")) {
      throw new PropsError(`${me}: 'configSet' must be an absolute folder in the image, e.g. /opt/solr/server/solr/configsets/mine (got '${props.configSet}')`);
    }
    const heap = props.heap ?? DEFAULTS.heap;
    if (!matches(JAVA_SIZE, heap)) throw new PropsError(`${me}: 'heap' must be ${JAVA_SIZE.expected} (got '${heap}')`);
    const limit = this.resources.memoryLimit ?? this.resources.memory;
    if (!(javaBytes(heap) <= quantityBytes(limit) * MAX_HEAP_SHARE)) {
      throw new PropsError(
        `${me}: 'heap' ${heap} must be at most 75% of the memory limit ${limit} (the JVM needs the rest for itself); raise resources.memory or lower heap`,
      );
    }
    const storage = props.storage ?? DEFAULTS.storage;
    checkVolumeSize(me, "storage", storage);
    this.core = core;
    this.addEnv({ SOLR_HEAP: heap, ...((props.adminUi ?? DEFAULTS.adminUi) ? {} : { SOLR_ADMIN_UI_DISABLED: "true" }) }, "the server");
    const labels = this.labels(props.image.tag);
    this.addStatefulSet(labels, { volume: storage, mountPath: DATA_PATH });
    this.addService(labels);
  }

  override get envPrefix(): string {
    return "SOLR";
  }

  /** `<PREFIX>_URL`, the core's base URL (`http://search:8983/solr/main`), and the same as host, port and core. */
  override connectionEnv(prefix: string): Env {
    return {
      [`${prefix}_URL`]: `http://${this.name}:${PORT}/solr/${this.core}`,
      [`${prefix}_HOST`]: this.name,
      [`${prefix}_PORT`]: String(PORT),
      [`${prefix}_CORE`]: this.core,
    };
  }

  /** Clients connect; a Proxy would put the admin UI and every API on the internet. */
  override admit(caller: Component, ports: readonly NetworkPort[]): void {
    if (caller instanceof Proxy) {
      throw new PropsError(
        `${this.description}: ${caller.description} may not route to it: Solr's admin UI and APIs share one port and are never public; connect the components that query it instead`,
      );
    }
    super.admit(caller, ports);
  }
}
