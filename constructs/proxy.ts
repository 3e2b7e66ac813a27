/**
 * The stack's front door: nginx (unprivileged) with its config rendered from typed routes, a Service, and
 * an Ingress whose TLS certificate cert-manager issues.
 */
import { Chart } from "cdk8s";
import { k8s } from "./lib/k8s";
import type { Construct } from "constructs";
import { Component, type Endpoint } from "./lib/component";
import type { Image } from "./lib/image";
import {
  DEFAULT_CLIENT_MAX_BODY_SIZE,
  DEFAULT_UPSTREAM_TIMEOUT_SECONDS,
  DEFAULT_WEBSOCKET_TIMEOUT_SECONDS,
  renderProxyConfig,
  type RateLimit,
} from "./lib/nginx-config";
import type { ResourceRequirements } from "./lib/pod";
import { checkScaling, type ScalingProps } from "./lib/scaling";
import { configMap, statelessWorkload } from "./lib/workload";

export interface ProxyRouteProps {
  /** URL prefix, e.g. `/` or `/api`. */
  readonly path: string;
  /** Component the prefix goes to; its first port is used. */
  readonly to: Endpoint;
  /**
   * Forward WebSocket upgrades on this prefix.
   * @default false
   */
  readonly websocket?: boolean;
  /**
   * Per-client-IP rate limit on this prefix.
   * @default - no limit
   */
  readonly rateLimit?: RateLimit;
}

export interface TlsIssuer {
  readonly kind: "ClusterIssuer" | "Issuer";
  readonly name: string;
}

export interface ProxyProps extends ScalingProps {
  /** nginx image running as uid 101, e.g. nginxinc/nginx-unprivileged. */
  readonly image: Image;
  /** Public host names; the Ingress routes them here and the certificate covers them. */
  readonly hosts: readonly string[];
  readonly routes: readonly ProxyRouteProps[];
  /** Ingress class the controller watches, e.g. `nginx` or `traefik`. */
  readonly ingressClassName: string;
  /** cert-manager issuer of the TLS certificate. */
  readonly tlsIssuer: TlsIssuer;
  /**
   * Largest request body, as an nginx size.
   * @default "10m"
   */
  readonly clientMaxBodySize?: string;
  /**
   * Seconds to wait on an upstream before answering 504.
   * @default 60
   */
  readonly upstreamTimeoutSeconds?: number;
  /**
   * @default { cpu: "50m", memory: "64Mi" }
   */
  readonly resources?: ResourceRequirements;
}

const PORT = 8080;
/** uid/gid of the `nginx` user in nginx-unprivileged images. */
export const NGINX_USER_ID = 101;
/** Where nginx-unprivileged writes: pid and temp files (/tmp) and its cache. */
export const NGINX_WRITABLE_PATHS = ["/tmp", "/var/cache/nginx"];

export class Proxy extends Component {
  readonly ports = { http: PORT };

  constructor(scope: Construct, id: string, props: ProxyProps) {
    super(scope, id, "Proxy", "proxy");
    const me = this.describe();
    checkScaling(me, props);
    const namespace = Chart.of(this).namespace;
    if (!namespace) throw new Error(`${me}: the chart has no namespace; upstream Service names need one`);
    if (props.hosts.length === 0) throw new Error(`${me}: 'hosts' is empty; list the public host names`);

    const conf = renderProxyConfig({
      generatedFrom: me,
      listenPort: PORT,
      serverNames: props.hosts,
      routes: props.routes.map((r) => ({
        path: r.path,
        upstream: { host: `${r.to.name}.${namespace}.svc.cluster.local`, port: firstPort(me, r.to) },
        ...(r.websocket ? { websocket: true } : {}),
        ...(r.rateLimit ? { rateLimit: r.rateLimit } : {}),
      })),
      ...(props.clientMaxBodySize !== undefined ? { clientMaxBodySize: props.clientMaxBodySize } : {}),
      ...(props.upstreamTimeoutSeconds !== undefined ? { upstreamTimeoutSeconds: props.upstreamTimeoutSeconds } : {}),
    });
    const labels = this.labels(props.image.tag);
    configMap(this, this.name, labels, { "nginx.conf": conf });
    statelessWorkload(this, {
      ...props,
      name: this.name,
      labels,
      selector: this.selector,
      runAs: { user: NGINX_USER_ID },
      containers: [
        {
          name: "nginx",
          image: props.image,
          resources: props.resources ?? { cpu: "50m", memory: "64Mi" },
          ports: this.ports,
          probes: { check: { http: "/healthz", port: "http" }, startupSeconds: 30 },
          writablePaths: NGINX_WRITABLE_PATHS,
          volumeMounts: [{ name: "config", mountPath: "/etc/nginx/nginx.conf", subPath: "nginx.conf", readOnly: true }],
        },
      ],
      volumes: [{ name: "config", configMap: { name: this.name } }],
      servicePorts: this.ports,
      configText: conf,
    });
    new k8s.KubeIngress(this, "ingress", {
      metadata: {
        name: this.name,
        labels,
        annotations: {
          [props.tlsIssuer.kind === "ClusterIssuer" ? "cert-manager.io/cluster-issuer" : "cert-manager.io/issuer"]: props.tlsIssuer.name,
          ...(props.ingressClassName === "nginx" ? ingressNginxLimits(props) : {}),
        },
      },
      spec: {
        ingressClassName: props.ingressClassName,
        tls: [{ hosts: [...props.hosts], secretName: `${this.name}-tls` }],
        rules: props.hosts.map((host) => ({
          host,
          http: {
            paths: [
              {
                path: "/",
                pathType: "Prefix",
                backend: { service: { name: this.name, port: { name: "http" } } },
              },
            ],
          },
        })),
      },
    });
  }
}

/**
 * ingress-nginx in front of the proxy must not be stricter than the proxy itself: its defaults (a 1m body,
 * 60 s reads) would cut uploads and WebSockets the proxy allows.
 */
function ingressNginxLimits(props: ProxyProps): Record<string, string> {
  const websockets = props.routes.some((r) => r.websocket);
  const timeout = Math.max(
    props.upstreamTimeoutSeconds ?? DEFAULT_UPSTREAM_TIMEOUT_SECONDS,
    websockets ? DEFAULT_WEBSOCKET_TIMEOUT_SECONDS : 0,
  );
  return {
    "nginx.ingress.kubernetes.io/proxy-body-size": props.clientMaxBodySize ?? DEFAULT_CLIENT_MAX_BODY_SIZE,
    "nginx.ingress.kubernetes.io/proxy-read-timeout": String(timeout),
    "nginx.ingress.kubernetes.io/proxy-send-timeout": String(timeout),
  };
}

function firstPort(owner: string, to: Endpoint): number {
  const port = Object.values(to.ports)[0];
  if (port === undefined) throw new Error(`${owner}: route target '${to.name}' serves no port`);
  return port;
}
