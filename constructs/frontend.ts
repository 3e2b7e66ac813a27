/**
 * A web frontend in one of two shapes: a static SPA (React/Vite build) served by an unprivileged nginx
 * image with a generated config, or a Node server-side-rendering app (Remix, Next).
 */
import type { Construct } from "constructs";
import { Component } from "./lib/component";
import type { Image } from "./lib/image";
import { renderStaticSiteConfig } from "./lib/nginx-config";
import type { ContainerSpec, ResourceRequirements } from "./lib/pod";
import { checkScaling, type ScalingProps } from "./lib/scaling";
import { sortedRecord } from "../lib/order";
import { checkEnvNames, configMap, statelessWorkload } from "./lib/workload";
import { NGINX_USER_ID, NGINX_WRITABLE_PATHS } from "./proxy";

export interface FrontendProps extends ScalingProps {
  /** The site image: built FROM an unprivileged nginx (static) or a Node image (ssr). */
  readonly image: Image;
  /**
   * `static`: files served by nginx with an SPA fallback; `ssr`: a Node server.
   * @default "static"
   */
  readonly mode?: "static" | "ssr";
  /**
   * Port the server listens on.
   * @default 8080 (static), 3000 (ssr)
   */
  readonly port?: number;
  /**
   * Path answering 200 when healthy.
   * @default "/healthz" (static: served by the generated config), "/" (ssr)
   */
  readonly healthPath?: string;
  /**
   * Environment variables of the SSR server (ignored by static sites, whose settings are baked at build time).
   * @default {}
   */
  readonly config?: Readonly<Record<string, string>>;
  /**
   * @default { cpu: "50m", memory: "128Mi" }
   */
  readonly resources?: ResourceRequirements;
  /**
   * uid the image runs as.
   * @default 101 (static: nginx), 1000 (ssr: the node user)
   */
  readonly runAsUser?: number;
}

export class Frontend extends Component {
  readonly ports: Readonly<Record<string, number>>;
  readonly mode: "static" | "ssr";

  constructor(scope: Construct, id: string, props: FrontendProps) {
    super(scope, id, "Frontend", "frontend");
    const me = this.describe();
    checkScaling(me, props);
    this.mode = props.mode ?? "static";
    const port = props.port ?? (this.mode === "static" ? 8080 : 3000);
    if (!Number.isInteger(port) || port < 1024 || port > 65535) {
      throw new Error(`${me}: 'port' must be an unprivileged port between 1024 and 65535 (got ${port})`);
    }
    if (this.mode === "static" && props.config && Object.keys(props.config).length) {
      throw new Error(`${me}: 'config' is read only by ssr frontends; a static site bakes its settings in at build time`);
    }
    if (props.config && "PORT" in props.config) {
      throw new Error(`${me}: 'PORT' in 'config' is set from 'port'; set 'port' instead`);
    }
    checkEnvNames(me, Object.keys(props.config ?? {}));
    this.ports = { http: port };
    const labels = this.labels(props.image.tag);
    const base = {
      name: "web",
      image: props.image,
      resources: props.resources ?? { cpu: "50m", memory: "128Mi" },
      ports: this.ports,
    };
    let configText: string;
    let web: ContainerSpec;
    if (this.mode === "static") {
      configText = renderStaticSiteConfig({ generatedFrom: me, listenPort: port });
      configMap(this, this.name, labels, { "nginx.conf": configText });
      web = {
        ...base,
        probes: { check: { http: props.healthPath ?? "/healthz", port: "http" }, startupSeconds: 30 },
        writablePaths: NGINX_WRITABLE_PATHS,
        volumeMounts: [{ name: "config", mountPath: "/etc/nginx/nginx.conf", subPath: "nginx.conf", readOnly: true }],
      };
    } else {
      const config = sortedRecord({ PORT: String(port), ...props.config });
      configText = JSON.stringify(config);
      configMap(this, this.name, labels, config);
      web = {
        ...base,
        envFrom: [{ configMapRef: { name: this.name } }],
        probes: { check: { http: props.healthPath ?? "/", port: "http" } },
        writablePaths: ["/tmp"],
      };
    }
    statelessWorkload(this, {
      ...props,
      name: this.name,
      labels,
      selector: this.selector,
      runAs: { user: props.runAsUser ?? (this.mode === "static" ? NGINX_USER_ID : 1000) },
      containers: [web],
      ...(this.mode === "static" ? { volumes: [{ name: "config", configMap: { name: this.name } }] } : {}),
      servicePorts: this.ports,
      configText,
    });
  }
}
