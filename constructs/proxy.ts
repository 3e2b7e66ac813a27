/**
 * The stack's front door, an API gateway: nginx (unprivileged) with its config rendered from typed routes,
 * a Service, and an Ingress whose TLS certificate cert-manager issues. Each route is a connection: the
 * proxy may reach exactly the components it routes to, and only the ingress controller may reach the proxy.
 * Routes may be rate limited per client and, with `oidc`, open only to users signed in at an OpenID Connect
 * issuer, through an oauth2-proxy nginx asks before each request.
 */
import { PropsError } from "../lib/errors";
import { DNS_SUBDOMAIN, matches } from "../lib/formats";
import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { k8s } from "./lib/k8s";
import type { Component } from "./lib/component";
import {
  DEFAULT_CLIENT_MAX_BODY_SIZE,
  DEFAULT_UPSTREAM_TIMEOUT_SECONDS,
  DEFAULT_WEBSOCKET_TIMEOUT_SECONDS,
  HEALTHZ_PATH,
  renderProxyConfig,
  type Login,
  type RateLimit,
} from "./lib/nginx-config";
import type { ResourceRequirements } from "./lib/pod";
import type { ScalingProps } from "./lib/scaling";
import { Workload, type ContainerProps } from "./lib/workload";
import { OAuth2Proxy, type OAuth2ProxyProps } from "./oauth2-proxy";

export interface ProxyRouteProps {
  /** URL prefix, e.g. `/` or `/api`. */
  readonly path: string;
  /** Component the prefix goes to. */
  readonly to: Component;
  /**
   * The target's port, by name.
   * @default "http"
   */
  readonly port?: string;
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
  /**
   * Only for signed-in users (see ProxyProps.oidc): `redirect` sends anyone else to sign in (pages),
   * `reject` answers 401 (APIs, machine clients); `false` leaves the prefix public.
   * @default "redirect" when the proxy has `oidc`, else public
   */
  readonly login?: Login | false;
}

export interface TlsIssuer {
  readonly kind: "ClusterIssuer" | "Issuer";
  readonly name: string;
}

/** The cluster's ingress controller, as the environment describes it. */
export interface IngressController {
  /** Ingress class the controller watches, e.g. `nginx` or `traefik`. */
  readonly className: string;
  /** Namespace of the controller's pods: the only source allowed to reach the proxy. */
  readonly controllerNamespace: string;
  /** cert-manager issuer of the TLS certificate. */
  readonly tlsIssuer: TlsIssuer;
}

export interface ProxyProps extends Omit<ContainerProps, "command" | "args">, ScalingProps {
  /** Public host names; the Ingress routes them here and the certificate covers them. */
  readonly hosts: readonly string[];
  readonly routes: readonly ProxyRouteProps[];
  readonly ingress: IngressController;
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
   * OpenID Connect login in front of the routes, through an oauth2-proxy of its own (`<id>-auth`), which
   * scales with the proxy: every request to a route with login asks it first.
   * @default - no login: every route is public
   */
  readonly oidc?: Omit<OAuth2ProxyProps, keyof ScalingProps>;
}

/** uid/gid of the `nginx` user in nginx-unprivileged images. */
export const NGINX_USER_ID = 101;
/** Where nginx-unprivileged writes: pid and temp files (/tmp) and its cache. */
export const NGINX_WRITABLE_PATHS = ["/tmp", "/var/cache/nginx"];

const DEFAULTS = {
  port: 8080,
  resources: { cpu: "50m", memory: "64Mi" } satisfies ResourceRequirements,
} as const;

export class Proxy extends Workload {
  static readonly defaults = DEFAULTS;
  /** The oauth2-proxy nginx asks before routes with login; undefined without `oidc`. */
  readonly auth?: OAuth2Proxy;

  constructor(scope: Construct, id: string, props: ProxyProps) {
    super(scope, id, "Proxy", "edge", props, {
      longRunning: true,
      ports: { http: DEFAULTS.port },
      probe: { http: HEALTHZ_PATH, port: "http" },
      startupSeconds: 30,
      resources: DEFAULTS.resources,
      runAsUser: NGINX_USER_ID,
      writablePaths: NGINX_WRITABLE_PATHS,
    });
    const me = this.description;
    const namespace = Chart.of(this).namespace;
    if (!namespace) throw new PropsError(`${me}: the chart has no namespace; upstream Service names need one`);
    if (props.hosts.length === 0) throw new PropsError(`${me}: 'hosts' is empty; list the public host names`);
    const names = { "ingress.className": props.ingress.className, "ingress.tlsIssuer.name": props.ingress.tlsIssuer.name };
    for (const [field, name] of Object.entries(names)) {
      if (!matches(DNS_SUBDOMAIN, name)) throw new PropsError(`${me}: '${field}' must be ${DNS_SUBDOMAIN.expected} (got '${name}')`);
    }
    if (props.oidc) {
      this.auth = new OAuth2Proxy(this, `${this.name}-auth`, { ...props.oidc, ...scalingOf(props) });
      this.connect(this.auth, { envPrefix: false });
    }
    const upstreamOf = (component: Component, port: number) => ({ host: `${component.name}.${namespace}.svc.cluster.local`, port });

    const conf = renderProxyConfig({
      generatedFrom: me,
      listenPort: DEFAULTS.port,
      serverNames: props.hosts,
      routes: props.routes.map((r) => {
        const portName = r.port ?? "http";
        const port = r.to.ports[portName];
        if (port === undefined) throw new PropsError(`${me}: route '${r.path}' goes to ${r.to.description}, which serves no port '${portName}'`);
        this.connect(r.to, { envPrefix: false, ports: [portName] });
        const login = r.login ?? (this.auth ? "redirect" : false);
        if (login && !this.auth) throw new PropsError(`${me}: route '${r.path}' asks for login '${login}', but the proxy has no 'oidc'; configure oidc or drop the login`);
        return {
          path: r.path,
          upstream: upstreamOf(r.to, port),
          ...(r.websocket ? { websocket: true } : {}),
          ...(r.rateLimit ? { rateLimit: r.rateLimit } : {}),
          ...(login ? { login } : {}),
        };
      }),
      ...(this.auth ? { oauth2Proxy: upstreamOf(this.auth, this.auth.ports.http!) } : {}),
      ...(props.clientMaxBodySize !== undefined ? { clientMaxBodySize: props.clientMaxBodySize } : {}),
      ...(props.upstreamTimeoutSeconds !== undefined ? { upstreamTimeoutSeconds: props.upstreamTimeoutSeconds } : {}),
    });
    const labels = this.labels(props.image.tag);
    this.addConfigFiles({ "/etc/nginx/nginx.conf": conf }, labels);
    this.addDeployment(labels, props);
    this.addService(labels);
    this.admitNamespace(props.ingress.controllerNamespace, ["http"]);
    new k8s.KubeIngress(this, "ingress", {
      metadata: {
        name: this.name,
        labels,
        annotations: {
          [props.ingress.tlsIssuer.kind === "ClusterIssuer" ? "cert-manager.io/cluster-issuer" : "cert-manager.io/issuer"]: props.ingress.tlsIssuer.name,
          ...(props.ingress.className === "nginx" ? ingressNginxLimits(props) : {}),
        },
      },
      spec: {
        ingressClassName: props.ingress.className,
        tls: [{ hosts: [...props.hosts], secretName: `${this.name}-tls` }],
        rules: props.hosts.map((host) => ({
          host,
          http: {
            paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: this.name, port: { name: "http" } } } }],
          },
        })),
      },
    });
  }

  protected override addEnv(): void {
    throw new PropsError(`${this.description}: nginx reads no environment; connect to it, or route to a component`);
  }
}

/** How many pods the proxy runs, for the oauth2-proxy that scales with it. */
function scalingOf(props: ScalingProps): ScalingProps {
  return {
    ...(props.replicas !== undefined ? { replicas: props.replicas } : {}),
    ...(props.autoscaling !== undefined ? { autoscaling: props.autoscaling } : {}),
    ...(props.highAvailability !== undefined ? { highAvailability: props.highAvailability } : {}),
  };
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
