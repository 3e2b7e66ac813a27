/**
 * nginx.conf renderers: typed input in, the full text of an `nginx.conf` out (mounted from a ConfigMap at
 * /etc/nginx/nginx.conf of an nginxinc/nginx-unprivileged container).
 *
 * Pure and deterministic: the same input gives byte-identical text, so the committed dist/ only changes when
 * the input does. Input is validated here, once, and every problem is reported at the same time.
 */
import { isIP } from "node:net";
import { ConfigError } from "../../lib/errors";
import { DNS_SUBDOMAIN, HOSTNAME, NGINX_SIZE, matches } from "../../lib/formats";

/** A Kubernetes Service the proxy forwards to. */
export interface ProxyUpstream {
  /**
   * Fully qualified Service name, e.g. `api.shop.svc.cluster.local` (or an IPv4 address). nginx's runtime
   * resolver does not apply the pod's DNS search domains, so a short name such as `api` would never resolve.
   */
  readonly host: string;
  readonly port: number;
}

/** A per-client-IP request rate limit; requests over it answer 429. */
export interface RateLimit {
  /** Sustained rate, whole requests per second, at least 1. */
  readonly requestsPerSecond: number;
  /** Requests allowed above the rate at once before 429s start, served without delay; 0 allows none. */
  readonly burst: number;
}

export interface ProxyRoute {
  /**
   * `/` or `/`-separated segments without a trailing `/`, e.g. `/api` or `/api/ws`. A route matches its path
   * and everything under it (`/api` matches `/api` and `/api/orders`, not `/apiary`), like an Ingress `Prefix`
   * path; the longest matching route wins. The request URI is forwarded unchanged (no prefix stripping).
   */
  readonly path: string;
  readonly upstream: ProxyUpstream;
  /**
   * Forward WebSocket upgrades (`Upgrade`/`Connection` headers) and keep idle connections open for
   * {@link ProxyConfigInput.websocketTimeoutSeconds}.
   * @default false
   */
  readonly websocket?: boolean;
  /**
   * Per-client-IP limit on this route, keyed on the real client address (see `trustedProxyCidrs`).
   * @default - no limit
   */
  readonly rateLimit?: RateLimit;
  /**
   * Only for a signed-in user, as the {@link ProxyConfigInput.oauth2Proxy} decides (a session cookie, or a
   * bearer token it accepts): `redirect` sends anyone else to sign in (pages a browser opens); `reject`
   * answers 401 (APIs and machine clients). The upstream learns who it is from `X-Auth-Request-User`,
   * `-Email`, `-Groups` and `-Preferred-Username`, which nginx sets on every route (empty on public ones), so
   * a client can never send its own.
   * @default - public
   */
  readonly login?: Login;
}

/** How a route answers a request without a signed-in user. */
export type Login = "redirect" | "reject";

export interface ProxyConfigInput {
  /**
   * What this config is rendered from, written in its header comment and prefixed to every error,
   * e.g. `environments/prod.yaml stacks.web.proxy`. One line.
   */
  readonly generatedFrom: string;
  /** Port the server listens on, 1024–65535: the image runs as uid 101, which cannot bind lower ports. */
  readonly listenPort: number;
  /** Public host names (what the ingress routes here), e.g. `shop.example.com`; at least one. */
  readonly serverNames: readonly string[];
  /**
   * Where requests go; at least one. Without a route for `/`, every path no route matches answers 404
   * (rather than the image's welcome page).
   */
  readonly routes: readonly ProxyRoute[];
  /**
   * Largest request body accepted, as an nginx size: digits, optionally followed by `k`, `m` or `g`.
   * @default "10m"
   */
  readonly clientMaxBodySize?: string;
  /**
   * Seconds nginx waits between two reads from (or writes to) an upstream before answering 504.
   * @default 60
   */
  readonly upstreamTimeoutSeconds?: number;
  /**
   * Seconds an idle WebSocket connection stays open on a `websocket` route.
   * @default 3600
   */
  readonly websocketTimeoutSeconds?: number;
  /**
   * DNS server that resolves the upstream Service names at request time (a host name, IPv4 or `[IPv6]`
   * address, optionally with `:port`). Resolving at request time lets nginx start before the Services exist
   * and follow a Service whose IP changes.
   * @default "kube-dns.kube-system.svc.cluster.local"
   */
  readonly resolver?: string;
  /**
   * Addresses of the proxies in front of this one (the ingress controller) whose `X-Forwarded-For` is
   * trusted, so logs and rate limits see the real client instead of the ingress controller's pod IP.
   * An empty list turns this off: every client then shares the ingress controller's rate-limit bucket.
   * @default ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] (RFC 1918)
   */
  readonly trustedProxyCidrs?: readonly string[];
  /**
   * The oauth2-proxy routes with `login` ask (nginx's `auth_request` to its `/oauth2/auth` before each
   * request), and which serves the sign-in, callback and sign-out pages under `/oauth2/`.
   * @default - none: every route is public
   */
  readonly oauth2Proxy?: ProxyUpstream;
}

export interface StaticSiteConfigInput {
  /**
   * What this config is rendered from, written in its header comment and prefixed to every error,
   * e.g. `environments/prod.yaml stacks.web.frontend`. One line.
   */
  readonly generatedFrom: string;
  /** Port the server listens on, 1024–65535: the image runs as uid 101, which cannot bind lower ports. */
  readonly listenPort: number;
  /**
   * Directory holding the built site (`index.html` and the hashed assets).
   * @default "/usr/share/nginx/html"
   */
  readonly root?: string;
  /**
   * URL prefix of the files whose names carry a content hash (Vite's `build.assetsDir`), cached for a year.
   * Starts and ends with `/`.
   * @default "/assets/"
   */
  readonly hashedAssetsPrefix?: string;
}

export const DEFAULT_CLIENT_MAX_BODY_SIZE = "10m";
export const DEFAULT_UPSTREAM_TIMEOUT_SECONDS = 60;
export const DEFAULT_WEBSOCKET_TIMEOUT_SECONDS = 3600;
export const DEFAULT_RESOLVER = "kube-dns.kube-system.svc.cluster.local";
export const RFC1918_CIDRS: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
export const DEFAULT_STATIC_ROOT = "/usr/share/nginx/html";
export const DEFAULT_HASHED_ASSETS_PREFIX = "/assets/";
/** The probe endpoint both configs serve; no route may take its path. */
export const HEALTHZ_PATH = "/healthz";
/** oauth2-proxy's own pages (sign-in, callback, sign-out, the auth check); no route may take the prefix. */
export const OAUTH2_PATH = "/oauth2";

/**
 * The nginx.conf of a stack's reverse proxy.
 * @throws ConfigError listing every problem of the input, each as `<generatedFrom>: <field>: expected ..., got ...`
 */
export function renderProxyConfig(input: ProxyConfigInput): string {
  const resolved = resolveProxyInput(input);
  throwIfAny(input.generatedFrom, proxyProblems(resolved));
  return renderConf([
    ...headerComment(resolved.generatedFrom, `reverse proxy for ${resolved.serverNames.join(" ")}`),
    ...mainContext(),
    block("http", ...httpCommon(), "", ...proxyHttpContext(resolved), "", proxyServer(resolved)),
  ]);
}

/**
 * The nginx.conf of a built single-page app (React/Vite) served as files.
 * @throws ConfigError listing every problem of the input, each as `<generatedFrom>: <field>: expected ..., got ...`
 */
export function renderStaticSiteConfig(input: StaticSiteConfigInput): string {
  const resolved = resolveStaticInput(input);
  throwIfAny(input.generatedFrom, staticSiteProblems(resolved));
  return renderConf([
    ...headerComment(resolved.generatedFrom, `static single-page app from ${resolved.root}`),
    ...mainContext(),
    block(
      "http",
      ...httpCommon(),
      "",
      "sendfile on;",
      "tcp_nopush on;",
      "",
      staticSiteServer(resolved),
    ),
  ]);
}

// ---------------------------------------------------------------------------------------------- defaults

type Resolved<T> = { readonly [K in keyof T]-?: Exclude<T[K], undefined> };
type ResolvedRoute = Omit<Resolved<ProxyRoute>, "rateLimit" | "login"> & { readonly rateLimit: RateLimit | undefined; readonly login: Login | undefined };
type ResolvedProxyInput = Omit<Resolved<ProxyConfigInput>, "routes" | "oauth2Proxy"> & {
  readonly routes: readonly ResolvedRoute[];
  readonly oauth2Proxy: ProxyUpstream | undefined;
};
type ResolvedStaticInput = Resolved<StaticSiteConfigInput>;

function resolveProxyInput(input: ProxyConfigInput): ResolvedProxyInput {
  return {
    generatedFrom: input.generatedFrom,
    listenPort: input.listenPort,
    serverNames: input.serverNames,
    routes: input.routes.map((route) => ({
      path: route.path,
      upstream: route.upstream,
      websocket: route.websocket ?? false,
      rateLimit: route.rateLimit,
      login: route.login,
    })),
    clientMaxBodySize: input.clientMaxBodySize ?? DEFAULT_CLIENT_MAX_BODY_SIZE,
    upstreamTimeoutSeconds: input.upstreamTimeoutSeconds ?? DEFAULT_UPSTREAM_TIMEOUT_SECONDS,
    websocketTimeoutSeconds: input.websocketTimeoutSeconds ?? DEFAULT_WEBSOCKET_TIMEOUT_SECONDS,
    resolver: input.resolver ?? DEFAULT_RESOLVER,
    trustedProxyCidrs: input.trustedProxyCidrs ?? RFC1918_CIDRS,
    oauth2Proxy: input.oauth2Proxy,
  };
}

function resolveStaticInput(input: StaticSiteConfigInput): ResolvedStaticInput {
  return {
    generatedFrom: input.generatedFrom,
    listenPort: input.listenPort,
    root: input.root ?? DEFAULT_STATIC_ROOT,
    hashedAssetsPrefix: input.hashedAssetsPrefix ?? DEFAULT_HASHED_ASSETS_PREFIX,
  };
}

// -------------------------------------------------------------------------------------------- validation

// Segments start with a letter or digit (so no `.`/`..`, which nginx normalises away) and hold no `_`, which
// keeps rate-limit zone names (path with `/` turned into `_`) one per path.
const PATH_SEGMENTS = /^(\/[A-Za-z0-9][A-Za-z0-9.-]*)+$/;
// An absolute directory path nginx reads without quoting.
const DIRECTORY = /^(\/[A-Za-z0-9._-]+)+$/;

/** How a found value is quoted in messages, as the environment loader does: strings in single quotes. */
function describeValue(value: unknown): string {
  return typeof value === "string" ? `'${value}'` : String(value);
}

function throwIfAny(generatedFrom: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `${generatedFrom}: ${p}`));
}

function proxyProblems(input: ResolvedProxyInput): string[] {
  return [
    ...generatedFromProblems(input.generatedFrom),
    ...listenPortProblems(input.listenPort),
    ...serverNameProblems(input.serverNames),
    ...routesProblems(input.routes),
    ...(matches(NGINX_SIZE, input.clientMaxBodySize)
      ? []
      : [`clientMaxBodySize: expected ${NGINX_SIZE.expected}, got ${describeValue(input.clientMaxBodySize)}`]),
    ...integerProblems("upstreamTimeoutSeconds", input.upstreamTimeoutSeconds, 1, 3600),
    ...integerProblems("websocketTimeoutSeconds", input.websocketTimeoutSeconds, 1, 86400),
    ...(isResolverAddress(input.resolver)
      ? []
      : [
          `resolver: expected a DNS server address such as kube-dns.kube-system.svc.cluster.local, 10.96.0.10 or 127.0.0.1:53, got ${describeValue(input.resolver)}`,
        ]),
    ...input.trustedProxyCidrs.flatMap((cidr, i) =>
      isCidr(cidr) ? [] : [`trustedProxyCidrs[${i}]: expected an IPv4 or IPv6 CIDR such as 10.0.0.0/8, got ${describeValue(cidr)}`],
    ),
    ...(input.oauth2Proxy ? upstreamProblems(input.oauth2Proxy, "oauth2Proxy") : []),
    ...loginProblems(input),
  ];
}

/** A route with login needs the oauth2-proxy; with one, its pages' prefix is no route's. */
function loginProblems(input: ResolvedProxyInput): string[] {
  return input.routes.flatMap((route, i) => {
    if (route.login !== undefined && !LOGINS.includes(route.login)) {
      return [`routes[${i}].login: expected "redirect" or "reject", got ${describeValue(route.login)}`];
    }
    if (route.login !== undefined && !input.oauth2Proxy) {
      return [`routes[${i}].login: expected an oauth2Proxy to ask who is signed in, got none; set oauth2Proxy or drop the login`];
    }
    if (input.oauth2Proxy && (route.path === OAUTH2_PATH || route.path.startsWith(`${OAUTH2_PATH}/`))) {
      return [`routes[${i}].path: ${OAUTH2_PATH} is oauth2-proxy's (sign-in, callback, sign-out); choose another path, got ${describeValue(route.path)}`];
    }
    return [];
  });
}

function staticSiteProblems(input: ResolvedStaticInput): string[] {
  const prefix = input.hashedAssetsPrefix;
  return [
    ...generatedFromProblems(input.generatedFrom),
    ...listenPortProblems(input.listenPort),
    ...(DIRECTORY.test(input.root)
      ? []
      : [`root: expected an absolute directory path such as ${DEFAULT_STATIC_ROOT}, got ${describeValue(input.root)}`]),
    ...(prefix.endsWith("/") && PATH_SEGMENTS.test(prefix.slice(0, -1)) && prefix !== `${HEALTHZ_PATH}/`
      ? []
      : [
          `hashedAssetsPrefix: expected a URL prefix that starts and ends with "/", such as /assets/, got ${describeValue(prefix)}`,
        ]),
  ];
}

function generatedFromProblems(generatedFrom: string): string[] {
  return generatedFrom.trim() !== "" && !/[\r\n]/.test(generatedFrom)
    ? []
    : [`generatedFrom: expected one non-empty line naming the source, such as environments/prod.yaml stacks.web.proxy`];
}

function listenPortProblems(port: number): string[] {
  return Number.isInteger(port) && port >= 1024 && port <= 65535
    ? []
    : [`listenPort: expected an integer from 1024 to 65535 (the image runs as uid 101, which cannot bind lower ports), got ${describeValue(port)}`];
}

function integerProblems(field: string, value: number, min: number, max: number): string[] {
  return Number.isInteger(value) && value >= min && value <= max
    ? []
    : [`${field}: expected an integer from ${min} to ${max}, got ${describeValue(value)}`];
}

function serverNameProblems(serverNames: readonly string[]): string[] {
  if (serverNames.length === 0) return ["serverNames: expected at least one host name, such as shop.example.com"];
  return serverNames.flatMap((name, i) => [
    ...(matches(HOSTNAME, name) ? [] : [`serverNames[${i}]: expected a DNS host name such as shop.example.com, got ${describeValue(name)}`]),
    ...duplicateProblem(serverNames, i, "serverNames"),
  ]);
}

function routesProblems(routes: readonly ResolvedRoute[]): string[] {
  if (routes.length === 0) return ['routes: expected at least one route, such as { path: "/", upstream: ... }'];
  const paths = routes.map((route) => route.path);
  return routes.flatMap((route, i) => [
    ...routePathProblems(route.path, `routes[${i}].path`),
    ...duplicateProblem(paths, i, "routes", ".path"),
    ...upstreamProblems(route.upstream, `routes[${i}].upstream`),
    ...(route.rateLimit === undefined
      ? []
      : [
          ...integerProblems(`routes[${i}].rateLimit.requestsPerSecond`, route.rateLimit.requestsPerSecond, 1, 100000),
          ...integerProblems(`routes[${i}].rateLimit.burst`, route.rateLimit.burst, 0, 100000),
        ]),
  ]);
}

function routePathProblems(path: string, field: string): string[] {
  if (!path.startsWith("/")) return [`${field}: expected a path starting with "/", such as /api, got ${describeValue(path)}`];
  if (path === "/") return [];
  if (path.endsWith("/")) {
    return [`${field}: expected no trailing "/" (a route already matches everything under its path), got ${describeValue(path)}`];
  }
  if (!PATH_SEGMENTS.test(path)) {
    return [
      `${field}: expected "/"-separated segments of letters, digits, "-" and ".", each starting with a letter or digit, got ${describeValue(path)}`,
    ];
  }
  if (path === HEALTHZ_PATH || path.startsWith(`${HEALTHZ_PATH}/`)) {
    return [`${field}: ${HEALTHZ_PATH} is the proxy's own probe endpoint; choose another path, got ${describeValue(path)}`];
  }
  return [];
}

function upstreamProblems(upstream: ProxyUpstream, field: string): string[] {
  const hostOk = isIP(upstream.host) === 4 || (matches(DNS_SUBDOMAIN, upstream.host) && upstream.host.includes("."));
  return [
    ...(hostOk
      ? []
      : [
          `${field}.host: expected a fully qualified Service name such as api.shop.svc.cluster.local (nginx's resolver ignores the pod's search domains), got ${describeValue(upstream.host)}`,
        ]),
    ...integerProblems(`${field}.port`, upstream.port, 1, 65535),
  ];
}

/** Reports the second and later occurrences of a value, pointing at the first. */
function duplicateProblem(values: readonly string[], index: number, list: string, suffix = ""): string[] {
  const first = values.indexOf(values[index]!);
  return first === index
    ? []
    : [`${list}[${index}]${suffix}: duplicate of ${list}[${first}]${suffix} ${describeValue(values[index])}; each may appear once`];
}

function isResolverAddress(resolver: string): boolean {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$/.exec(resolver);
  if (!match) return false;
  const host = match[1]!;
  if (host.startsWith("[")) return isIP(host.slice(1, -1)) === 6;
  return isIP(host) === 4 || matches(DNS_SUBDOMAIN, host);
}

function isCidr(cidr: string): boolean {
  const [address, bits, ...rest] = cidr.split("/");
  if (rest.length > 0 || address === undefined || bits === undefined || !/^[0-9]{1,3}$/.test(bits)) return false;
  const family = isIP(address);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

// ------------------------------------------------------------------------------------------ text model

/** A directive or comment line (with its own `;`), `""` for a blank line, or a block. */
type Node = string | Block;
interface Block {
  readonly head: string;
  readonly body: readonly Node[];
}

const block = (head: string, ...body: Node[]): Block => ({ head, body });

const LOGINS: readonly Login[] = ["redirect", "reject"];

function renderConf(nodes: readonly Node[]): string {
  return `${renderNodes(nodes, "").join("\n")}\n`;
}

function renderNodes(nodes: readonly Node[], indent: string): string[] {
  return nodes.flatMap((node) => {
    if (typeof node === "string") return [node === "" ? "" : `${indent}${node}`];
    return [`${indent}${node.head} {`, ...renderNodes(node.body, `${indent}    `), `${indent}}`];
  });
}

// ------------------------------------------------------------------------------------ shared pieces

function headerComment(generatedFrom: string, what: string): Node[] {
  return [
    `# Generated by Slipway from ${generatedFrom}: ${what}.`,
    "# Do not edit: change the source and render again.",
    "",
  ];
}

/** The image runs as uid 101 with a read-only root filesystem: no `user` directive, and state lives in /tmp. */
function mainContext(): Node[] {
  return [
    "# The pod's CPU limit, not the node's core count (what `auto` uses), bounds this server: scale with replicas.",
    "worker_processes 1;",
    "pid /tmp/nginx.pid;",
    "error_log stderr warn;",
    "",
    block("events", "worker_connections 1024;"),
    "",
  ];
}

function httpCommon(): Node[] {
  return [
    "include /etc/nginx/mime.types;",
    "default_type application/octet-stream;",
    "server_tokens off;",
    "# Redirects stay relative: the public scheme, host and port are the ingress's, not this pod's.",
    "absolute_redirect off;",
    "# Longer than the ingress controller's upstream keepalive (60s), so the controller always closes first",
    "# and never reuses a connection this side is closing.",
    "keepalive_timeout 75s;",
    "keepalive_requests 1000;",
    "",
    ...tempPaths(),
    "",
    ...accessLog(),
    "",
    ...gzip(),
  ];
}

function tempPaths(): Node[] {
  return [
    "# The root filesystem is read-only; /tmp is a writable emptyDir.",
    "client_body_temp_path /tmp/client_temp;",
    "proxy_temp_path /tmp/proxy_temp;",
    "fastcgi_temp_path /tmp/fastcgi_temp;",
    "uwsgi_temp_path /tmp/uwsgi_temp;",
    "scgi_temp_path /tmp/scgi_temp;",
  ];
}

const LOG_FIELDS: readonly (readonly [name: string, value: string, quoted: boolean])[] = [
  ["time", "$time_iso8601", true],
  ["remote_addr", "$remote_addr", true],
  ["method", "$request_method", true],
  ["uri", "$request_uri", true],
  ["protocol", "$server_protocol", true],
  ["status", "$status", false],
  ["body_bytes_sent", "$body_bytes_sent", false],
  ["request_time", "$request_time", false],
  ["host", "$host", true],
  ["referer", "$http_referer", true],
  ["user_agent", "$http_user_agent", true],
  ["upstream_addr", "$upstream_addr", true],
  ["upstream_status", "$upstream_status", true],
  ["upstream_response_time", "$upstream_response_time", true],
];

/** One JSON object per request on stdout, where the cluster's log collector reads it. */
function accessLog(): Node[] {
  const fields = LOG_FIELDS.map(([name, value, quoted], i) => {
    const open = i === 0 ? "{" : "";
    const close = i === LOG_FIELDS.length - 1 ? "}" : ",";
    return `    '${open}"${name}":${quoted ? `"${value}"` : value}${close}'`;
  });
  fields[fields.length - 1] += ";";
  return ["log_format json escape=json", ...fields, "access_log /dev/stdout json;"];
}

function gzip(): Node[] {
  return [
    "gzip on;",
    "gzip_vary on;",
    "gzip_proxied any;",
    "gzip_comp_level 5;",
    "gzip_min_length 1024;",
    "# text/html is always compressed; naming it again makes nginx warn.",
    "gzip_types text/plain text/css text/xml text/javascript application/javascript application/json",
    "    application/xml application/rss+xml application/atom+xml application/manifest+json image/svg+xml",
    "    application/wasm;",
  ];
}

const SECURITY_HEADERS: readonly (readonly [name: string, value: string])[] = [
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "strict-origin-when-cross-origin"],
  // TLS ends at the ingress; one year, without includeSubDomains or preload, which are hard to take back.
  ["Strict-Transport-Security", "max-age=31536000"],
];

/**
 * `always`: errors carry them too. A location with any `add_header` of its own drops every inherited one,
 * so such a location repeats these.
 */
function securityHeaders(): Node[] {
  return SECURITY_HEADERS.map(([name, value]) => `add_header ${name} "${value}" always;`);
}

function healthz(): Block {
  return block(
    `location = ${HEALTHZ_PATH}`,
    "access_log off;",
    "default_type text/plain;",
    'return 200 "ok\\n";',
  );
}

function listen(port: number): Node[] {
  // default_server: probes and the ingress may use any Host (a pod IP, a Service name).
  return [`listen ${port} default_server;`];
}

// ---------------------------------------------------------------------------------------------- proxy

function proxyHttpContext(input: ResolvedProxyInput): Node[] {
  const limited = input.routes.filter((route) => route.rateLimit !== undefined);
  return [
    "# Upstreams are variables resolved at request time: nginx starts before the Services exist and follows",
    "# a Service whose IP changes.",
    `resolver ${input.resolver} valid=10s;`,
    "resolver_timeout 5s;",
    ...(input.trustedProxyCidrs.length === 0
      ? []
      : [
          "",
          "# The client address is the last untrusted hop of X-Forwarded-For, not the ingress controller's pod IP.",
          ...input.trustedProxyCidrs.map((cidr) => `set_real_ip_from ${cidr};`),
          "real_ip_header X-Forwarded-For;",
          "real_ip_recursive on;",
        ]),
    ...(limited.length === 0
      ? []
      : [
          "",
          "limit_req_status 429;",
          "limit_req_log_level warn;",
          ...sortRoutes(limited).map(
            (route) =>
              `limit_req_zone $binary_remote_addr zone=${zoneName(route.path)}:10m rate=${route.rateLimit!.requestsPerSecond}r/s;`,
          ),
        ]),
    "",
    "# Each hop appends the address that connected to it: the ingress controller, not $remote_addr (the client).",
    block(
      "map $http_x_forwarded_for $forwarded_for",
      'default "$http_x_forwarded_for, $realip_remote_addr";',
      "'' $realip_remote_addr;",
    ),
    "# TLS ends at the ingress, which tells the original scheme.",
    block("map $http_x_forwarded_proto $forwarded_proto", "default $http_x_forwarded_proto;", "'' $scheme;"),
    ...(input.routes.some((route) => route.websocket)
      ? [
          "# Upgrade only what the client asked to upgrade.",
          block("map $http_upgrade $connection_upgrade", "default upgrade;", "'' close;"),
        ]
      : []),
  ];
}

function proxyServer(input: ResolvedProxyInput): Block {
  const routes = sortRoutes(input.routes);
  const hasRoot = routes.some((route) => route.path === "/");
  return block(
    "server",
    ...listen(input.listenPort),
    `server_name ${input.serverNames.join(" ")};`,
    `client_max_body_size ${input.clientMaxBodySize};`,
    "",
    "proxy_http_version 1.1;",
    "proxy_connect_timeout 5s;",
    `proxy_send_timeout ${input.upstreamTimeoutSeconds}s;`,
    `proxy_read_timeout ${input.upstreamTimeoutSeconds}s;`,
    "",
    ...securityHeaders(),
    "# The proxy owns these headers: an upstream's own copy would reach the browser twice.",
    ...SECURITY_HEADERS.map(([name]) => `proxy_hide_header ${name};`),
    "proxy_hide_header X-Powered-By;",
    "",
    healthz(),
    ...(input.oauth2Proxy ? oauth2Locations(input.oauth2Proxy) : []),
    ...routes.flatMap((route) => ["", routeLocation(route, input.websocketTimeoutSeconds, input.oauth2Proxy !== undefined)]),
    ...(hasRoot ? [] : ["", block("location /", "return 404;")]),
  );
}

/**
 * Deepest path first: routes other than `/` are regex locations, which nginx tries in order, so `/api/ws`
 * must come before `/api`. Ties (same length, never the same path) sort by text, for a stable output.
 */
function sortRoutes<T extends { readonly path: string }>(routes: readonly T[]): T[] {
  return [...routes].sort((a, b) => b.path.length - a.path.length || (a.path < b.path ? -1 : 1));
}

/** `/` is a prefix location (the fallback); any other path matches itself and what lies under it, by segment. */
function locationMatch(path: string): string {
  return path === "/" ? "location /" : `location ~ ^${path.replaceAll(".", "\\.")}(?:/|$)`;
}

function zoneName(path: string): string {
  return path === "/" ? "route_root" : `route${path.replaceAll("/", "_")}`;
}

function routeLocation(route: ResolvedRoute, websocketTimeoutSeconds: number, identified: boolean): Block {
  const { host, port } = route.upstream;
  return block(
    locationMatch(route.path),
    ...(route.rateLimit === undefined ? [] : [limitReq(route.path, route.rateLimit)]),
    ...(route.login === undefined ? [] : loginCheck(route.login)),
    `set $upstream ${host}:${port};`,
    "proxy_pass http://$upstream;",
    ...proxyHeaders(),
    ...(identified ? identityHeaders(route.login !== undefined) : []),
    ...(route.websocket
      ? [
          "proxy_set_header Upgrade $http_upgrade;",
          "proxy_set_header Connection $connection_upgrade;",
          `proxy_send_timeout ${websocketTimeoutSeconds}s;`,
          `proxy_read_timeout ${websocketTimeoutSeconds}s;`,
        ]
      : []),
  );
}

/** nginx refuses `burst=0`: no burst is written as no `burst` at all (and `nodelay` only matters with one). */
function limitReq(path: string, rateLimit: RateLimit): string {
  const zone = `zone=${zoneName(path)}`;
  return rateLimit.burst === 0 ? `limit_req ${zone};` : `limit_req ${zone} burst=${rateLimit.burst} nodelay;`;
}

/** What oauth2-proxy tells about the signed-in user (`--set-xauthrequest`), as nginx variable and header names. */
const IDENTITY: readonly (readonly [variable: string, header: string])[] = [
  ["auth_user", "X-Auth-Request-User"],
  ["auth_email", "X-Auth-Request-Email"],
  ["auth_groups", "X-Auth-Request-Groups"],
  ["auth_preferred_username", "X-Auth-Request-Preferred-Username"],
];

function oauth2Locations(upstream: ProxyUpstream): Node[] {
  const target = [`set $oauth2_proxy ${upstream.host}:${upstream.port};`, "proxy_pass http://$oauth2_proxy;", ...proxyHeaders()];
  return [
    "",
    "# oauth2-proxy's sign-in, callback and sign-out pages. After a 401 nginx redirects here internally, and",
    "# $request_uri is still the page asked for: where oauth2-proxy sends the browser back after sign-in.",
    block(`location ^~ ${OAUTH2_PATH}/`, ...target, "proxy_set_header X-Auth-Request-Redirect $request_uri;"),
    "",
    "# What auth_request asks before each request to a route with login: 2xx signed in, 401 not. Internal only.",
    block(
      `location = ${OAUTH2_PATH}/auth`,
      "internal;",
      ...target,
      "proxy_set_header X-Forwarded-Uri $request_uri;",
      "proxy_pass_request_body off;",
      'proxy_set_header Content-Length "";',
    ),
  ];
}

/** Asks oauth2-proxy first; `redirect` turns its 401 into its sign-in page (a redirect to the issuer). */
function loginCheck(login: Login): Node[] {
  return [
    `auth_request ${OAUTH2_PATH}/auth;`,
    ...(login === "redirect" ? [`error_page 401 = ${OAUTH2_PATH}/sign_in;`] : []),
    ...IDENTITY.map(([variable, header]) => `auth_request_set $${variable} $upstream_http_${header.toLowerCase().replaceAll("-", "_")};`),
  ];
}

/** The signed-in user's identity on a route with login; on a public one the headers are emptied, so no client forges them. */
function identityHeaders(login: boolean): Node[] {
  return IDENTITY.map(([variable, header]) => `proxy_set_header ${header} ${login ? `$${variable}` : '""'};`);
}

/** Per location: one `proxy_set_header` in a location drops every inherited one, and websocket routes add two. */
function proxyHeaders(): Node[] {
  return [
    "proxy_set_header Host $host;",
    "proxy_set_header X-Real-IP $remote_addr;",
    "proxy_set_header X-Forwarded-For $forwarded_for;",
    "proxy_set_header X-Forwarded-Proto $forwarded_proto;",
    "proxy_set_header X-Forwarded-Host $host;",
  ];
}

// ---------------------------------------------------------------------------------------- static site

function staticSiteServer(input: ResolvedStaticInput): Block {
  return block(
    "server",
    ...listen(input.listenPort),
    `root ${input.root};`,
    "index index.html;",
    "",
    ...securityHeaders(),
    "",
    healthz(),
    "",
    "# A hashed file never changes (a new build gives it a new name). A missing one is a 404: index.html in its",
    "# place would be cached for a year under the script's name.",
    block(
      `location ${input.hashedAssetsPrefix}`,
      "try_files $uri =404;",
      ...securityHeaders(),
      'add_header Cache-Control "public, max-age=31536000, immutable";',
    ),
    "",
    "# index.html names the current hashed files: browsers must check it on every visit.",
    block("location = /index.html", ...securityHeaders(), 'add_header Cache-Control "no-cache";'),
    "",
    "# Client-side routes (/orders/42) are the app's: unknown paths get index.html.",
    block("location /", "try_files $uri $uri/ /index.html;"),
  );
}
