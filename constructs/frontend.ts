/**
 * A web frontend in one of two shapes: a static SPA (React/Vite build) served by an unprivileged nginx
 * image with a generated config, or a Node server-side-rendering app (Remix, Next) with an environment
 * of its own — plain values, Secret keys and connections, like any workload.
 */
import { PropsError } from "../lib/errors";
import type { Construct } from "constructs";
import type { Env } from "./lib/env";
import { HEALTHZ_PATH, renderStaticSiteConfig } from "./lib/nginx-config";
import type { ResourceRequirements } from "./lib/pod";
import type { ScalingProps } from "./lib/scaling";
import { Workload, type WorkloadProps } from "./lib/workload";
import { NGINX_USER_ID, NGINX_WRITABLE_PATHS } from "./proxy";

export type FrontendMode = "static" | "ssr";

export interface FrontendProps extends Omit<WorkloadProps, "ports">, ScalingProps {
  /**
   * `static`: files served by nginx with an SPA fallback; `ssr`: a Node server.
   * @default "static"
   */
  readonly mode?: FrontendMode;
  /**
   * Port the server listens on; an ssr server reads it from `PORT`.
   * @default 8080 (static), 3000 (ssr)
   */
  readonly port?: number;
  /**
   * Path answering 200 when healthy.
   * @default "/healthz" (static: served by the generated config), "/" (ssr)
   */
  readonly healthPath?: string;
}

const DEFAULTS = {
  mode: "static",
  static: { port: 8080, healthPath: HEALTHZ_PATH, runAsUser: NGINX_USER_ID, writablePaths: NGINX_WRITABLE_PATHS, startupSeconds: 30 },
  ssr: { port: 3000, healthPath: "/", runAsUser: 1000, writablePaths: ["/tmp"], startupSeconds: 60 },
  resources: { cpu: "50m", memory: "128Mi" } satisfies ResourceRequirements,
} as const;

export class Frontend extends Workload {
  static readonly defaults = DEFAULTS;
  readonly mode: FrontendMode;

  constructor(scope: Construct, id: string, props: FrontendProps) {
    const mode = props.mode ?? DEFAULTS.mode;
    const shape = DEFAULTS[mode];
    const port = props.port ?? shape.port;
    super(scope, id, "Frontend", "edge", props, {
      longRunning: true,
      ports: { http: port },
      probe: { http: props.healthPath ?? shape.healthPath, port: "http" },
      startupSeconds: shape.startupSeconds,
      resources: DEFAULTS.resources,
      runAsUser: shape.runAsUser,
      writablePaths: shape.writablePaths,
    });
    this.mode = mode;
    const me = this.description;
    const labels = this.labels(props.image.tag);
    if (mode === "static") {
      if (props.env && Object.keys(props.env).length) {
        throw new PropsError(`${me}: 'env' is read only by ssr frontends; a static site bakes its settings in at build time`);
      }
      this.addConfigFiles({ "/etc/nginx/nginx.conf": renderStaticSiteConfig({ generatedFrom: me, listenPort: port }) }, labels);
    } else {
      this.addEnv({ PORT: String(port) }, "its port");
    }
    this.addDeployment(labels, props);
    this.addService(labels);
  }

  protected override addEnv(env: Env, from: string): void {
    if (this.mode === "static") {
      throw new PropsError(`${this.description}: a static site has no server to read variables (${from}); connect with envPrefix: false, or use mode ssr`);
    }
    super.addEnv(env, from);
  }
}
