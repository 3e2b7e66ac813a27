/**
 * oauth2-proxy (github.com/oauth2-proxy/oauth2-proxy) as the OpenID Connect login of a Proxy: nginx asks it
 * with `auth_request` before each request to a route with login, and it serves the sign-in, callback and
 * sign-out pages under /oauth2/. Sessions live in an encrypted cookie, so any replica answers any request;
 * bearer tokens the issuer signed for this client are accepted too, for API clients.
 *
 * Its client secret and cookie secret come from the stack's secret store; the only place it calls is the
 * issuer (discovery, keys, token exchange), through the networks the environment names for it.
 *
 * Built for the official image (quay.io/oauth2-proxy/oauth2-proxy): a static binary on distroless
 * `static:nonroot` (its Makefile's runtime image), so uid 65532, no shell (probes are HTTP, on its `/ping`),
 * and nothing written at run time. Configured by command-line flags, its secrets by the OAUTH2_PROXY_*
 * variables its docs (docs/docs/configuration/overview.md) name for them.
 */
import type { Construct } from "constructs";
import { PropsError } from "../lib/errors";
import { HOSTNAME, matches } from "../lib/formats";
import { ExternalSecret } from "./external-secret";
import { ExternalService } from "./external-service";
import type { Image } from "./lib/image";
import type { ResourceRequirements } from "./lib/pod";
import type { ScalingProps } from "./lib/scaling";
import { Workload } from "./lib/workload";
import type { SecretStore } from "./secret-store";

export interface OAuth2ProxyProps extends ScalingProps {
  /** oauth2-proxy image, pinned by the environment file. */
  readonly image: Image;
  /** The OpenID Connect issuer, e.g. `https://login.example.com/realms/acme`; its discovery document is read at start. */
  readonly issuerUrl: string;
  /** The client registered at the issuer for this proxy. */
  readonly clientId: string;
  /** Where the client secret and the cookie secret come from (Vault, or generated once on dev). */
  readonly secrets: SecretStore;
  /** Networks the issuer's host name resolves to (IPv4 or IPv6 CIDRs): the only egress besides DNS. */
  readonly issuerCidrs: readonly string[];
  /** Email domains whose users may sign in, e.g. `["acme.com"]`; `["*"]` lets any verified email in. */
  readonly emailDomains: readonly string[];
  /**
   * Groups (the issuer's `groups` claim) whose members may sign in; empty: any group.
   * @default []
   */
  readonly allowedGroups?: readonly string[];
  /**
   * @default { cpu: "25m", memory: "64Mi" }
   */
  readonly resources?: ResourceRequirements;
}

/** uid/gid of `nonroot` in distroless images. */
const NONROOT_USER_ID = 65532;
const PORT = 4180;
const DEFAULTS = {
  allowedGroups: [] as readonly string[],
  resources: { cpu: "25m", memory: "64Mi" } satisfies ResourceRequirements,
} as const;

export class OAuth2Proxy extends Workload {
  static readonly defaults = DEFAULTS;
  /** The Secret holding `client-secret` and `cookie-secret`. */
  readonly credentials: ExternalSecret;

  constructor(scope: Construct, id: string, props: OAuth2ProxyProps) {
    super(scope, id, "OAuth2Proxy", "app", { ...props, args: oauth2ProxyFlags(props) }, {
      longRunning: true,
      ports: { http: PORT },
      probe: { http: "/ping", port: "http" },
      startupSeconds: 30,
      resources: DEFAULTS.resources,
      runAsUser: NONROOT_USER_ID,
    });
    const me = this.description;
    const issuer = issuerAddress(me, props.issuerUrl);
    if (!props.clientId.trim()) throw new PropsError(`${me}: 'clientId' is empty; give the client id registered at the issuer`);
    if (props.emailDomains.length === 0) throw new PropsError(`${me}: 'emailDomains' is empty; list the domains whose users may sign in, or ["*"] for any`);
    const badDomain = props.emailDomains.find((d) => d !== "*" && !matches(HOSTNAME, d));
    if (badDomain !== undefined) throw new PropsError(`${me}: email domain '${badDomain}' is not valid: expected ${HOSTNAME.expected}, or "*"`);
    const groups = props.allowedGroups ?? DEFAULTS.allowedGroups;
    const badGroup = groups.find((g) => !/^[^,\s]+$/.test(g));
    if (badGroup !== undefined) throw new PropsError(`${me}: group '${badGroup}' is not valid: expected a name without commas or spaces`);

    this.credentials = new ExternalSecret(this, "credentials", {
      store: props.secrets,
      secretName: `${this.name}-credentials`,
      keys: ["client-secret", "cookie-secret"],
    });
    // The secrets as the variables oauth2-proxy reads them from; everything else is a flag (oauth2ProxyFlags).
    this.addEnv(
      { OAUTH2_PROXY_CLIENT_SECRET: this.credentials.ref("client-secret"), OAUTH2_PROXY_COOKIE_SECRET: this.credentials.ref("cookie-secret") },
      "its secrets",
    );
    const issuerService = new ExternalService(this, "issuer", { cidrs: props.issuerCidrs, ports: { https: issuer.port } });
    this.connect(issuerService, { envPrefix: false });
    const labels = this.labels(props.image.tag);
    this.addDeployment(labels, props);
    this.addService(labels);
  }
}

/**
 * Its command-line flags (the image's entrypoint is the binary), as docs/docs/configuration/overview.md names
 * them: OIDC against the issuer, behind nginx's auth_request, sessions in a secure cookie.
 */
export function oauth2ProxyFlags(props: Pick<OAuth2ProxyProps, "issuerUrl" | "clientId" | "emailDomains" | "allowedGroups">): string[] {
  return [
    "--provider=oidc",
    `--oidc-issuer-url=${props.issuerUrl}`,
    `--client-id=${props.clientId}`,
    ...props.emailDomains.map((domain) => `--email-domain=${domain}`),
    ...(props.allowedGroups ?? DEFAULTS.allowedGroups).map((group) => `--allowed-group=${group}`),
    `--http-address=0.0.0.0:${PORT}`,
    // Behind nginx: the callback URL and redirects follow X-Forwarded-Proto and -Host, the public ones.
    "--reverse-proxy=true",
    // nginx asks /oauth2/auth and never proxies through it.
    "--upstream=static://202",
    // The user's name, email and groups as X-Auth-Request-* headers of the /oauth2/auth answer.
    "--set-xauthrequest=true",
    // Straight to the issuer: no page with a single "sign in" button.
    "--skip-provider-button=true",
    // API clients may send a bearer token the issuer signed for this client instead of a session cookie.
    "--skip-jwt-bearer-tokens=true",
    "--cookie-secure=true",
    "--silence-ping-logging=true",
  ];
}

/** The issuer's port, from its URL; only https: tokens and the client secret cross this connection. */
function issuerAddress(owner: string, url: string): { port: number } {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed?.protocol !== "https:" || !matches(HOSTNAME, parsed.hostname)) {
    throw new PropsError(`${owner}: 'issuerUrl' must be an https URL such as https://login.example.com/realms/acme (got '${url}')`);
  }
  return { port: parsed.port ? Number(parsed.port) : 443 };
}
