import type { IDeployment } from "kubernetes-models/apps/v1";
import type { IConfigMap, IService } from "kubernetes-models/v1";
import { Api } from "../../constructs/api";
import { renderProxyConfig } from "../../constructs/lib/nginx-config";
import type { OAuth2ProxyProps } from "../../constructs/oauth2-proxy";
import { Proxy, type ProxyProps, type ProxyRouteProps } from "../../constructs/proxy";
import { SecretStore } from "../../constructs/secret-store";
import { errorOf, find, image, INGRESS, kindsAndNames, objects, testChart, VAULT } from "../support/chart";

/** What External Secrets would default; rendered, so Argo CD sees no drift. */
const REMOTE_REF_DEFAULTS = { conversionStrategy: "Default", decodingStrategy: "None", metadataPolicy: "None" };

const pods = (name: string) => ({ podSelector: { matchLabels: { "app.kubernetes.io/instance": "web", "app.kubernetes.io/name": name } } });
const tcp = (port: number) => ({ port, protocol: "TCP" });
const secretRef = (key: string) => ({ valueFrom: { secretKeyRef: { name: "proxy-auth-credentials", key } } });

type Oidc = Omit<OAuth2ProxyProps, "secrets" | "replicas" | "autoscaling" | "highAvailability">;
const OIDC: Oidc = {
  image: image("quay.io/oauth2-proxy/oauth2-proxy", "v7.15.3"),
  issuerUrl: "https://login.example.com/realms/acme",
  clientId: "datapio-gateway",
  issuerCidrs: ["203.0.113.0/24", "2001:db8::/48"],
  emailDomains: ["acme.com"],
};

/** A gateway in front of an API: GraphQL for API clients, the playground for browsers, /status public. */
function render(oidc: Partial<Oidc> | null = {}, options: { routes?: (api: Api) => ProxyRouteProps[]; proxy?: Partial<ProxyProps> } = {}) {
  const chart = testChart();
  const secrets = new SecretStore(chart, "secret-store", { source: VAULT, keyPrefix: "prod/web" });
  const api = new Api(chart, "api", { image: image("ghcr.io/acme/api") });
  const routes = options.routes ?? ((to: Api) => [{ path: "/", to }, { path: "/graphql", to, login: "reject" as const }, { path: "/status", to, login: false as const }]);
  const proxy = new Proxy(chart, "proxy", {
    image: image("docker.io/nginxinc/nginx-unprivileged", "1.27.3-alpine"),
    hosts: ["api.example.com"],
    ingress: INGRESS,
    routes: routes(api),
    ...(oidc ? { oidc: { ...OIDC, ...oidc, secrets } } : {}),
    ...options.proxy,
  });
  const all = objects(chart);
  const deployment = find<IDeployment>(all, "Deployment", "proxy-auth");
  return { chart, proxy, all, deployment, container: deployment.spec!.template.spec!.containers[0]!, pod: deployment.spec!.template.spec! };
}

describe("OAuth2Proxy, as a Proxy's oidc", () => {
  test("is a component of its own inside the proxy: policy, credentials, ServiceAccount, Deployment and Service named <proxy>-auth", () => {
    expect(kindsAndNames(render().all).filter((n) => n.includes("proxy-auth"))).toEqual([
      "NetworkPolicy/proxy-auth",
      "ExternalSecret/proxy-auth-credentials",
      "ServiceAccount/proxy-auth",
      "Deployment/proxy-auth",
      "Service/proxy-auth",
    ]);
  });

  test("is configured for the OIDC issuer by flags, the client and cookie secrets by variables referring to the store's Secret", () => {
    const { container } = render({ emailDomains: ["acme.com", "acme.org"], allowedGroups: ["datapio-admins", "datapio-devs"] });
    expect(container.args).toEqual([
      "--provider=oidc",
      "--oidc-issuer-url=https://login.example.com/realms/acme",
      "--client-id=datapio-gateway",
      "--email-domain=acme.com",
      "--email-domain=acme.org",
      "--allowed-group=datapio-admins",
      "--allowed-group=datapio-devs",
      "--http-address=0.0.0.0:4180",
      "--reverse-proxy=true",
      "--upstream=static://202",
      "--set-xauthrequest=true",
      "--skip-provider-button=true",
      "--skip-jwt-bearer-tokens=true",
      "--cookie-secure=true",
      "--silence-ping-logging=true",
    ]);
    expect(container.env).toEqual([
      { name: "OAUTH2_PROXY_CLIENT_SECRET", ...secretRef("client-secret") },
      { name: "OAUTH2_PROXY_COOKIE_SECRET", ...secretRef("cookie-secret") },
    ]);
    expect(render().container.args?.filter((a) => a.startsWith("--allowed-group"))).toEqual([]);
  });

  test("reads the client secret and the cookie secret from the stack's Vault folder", () => {
    expect(find<any>(render().all, "ExternalSecret", "proxy-auth-credentials").spec.data).toEqual([
      { secretKey: "client-secret", remoteRef: { key: "prod/web/proxy-auth-credentials", property: "client-secret", ...REMOTE_REF_DEFAULTS } },
      { secretKey: "cookie-secret", remoteRef: { key: "prod/web/proxy-auth-credentials", property: "cookie-secret", ...REMOTE_REF_DEFAULTS } },
    ]);
  });

  test("runs the image's entrypoint as distroless nonroot (65532) with 25m CPU and 64Mi, probed on /ping", () => {
    const { container, pod } = render();
    expect(container.image).toBe("quay.io/oauth2-proxy/oauth2-proxy:v7.15.3");
    expect(container).not.toHaveProperty("command");
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 });
    expect(container.resources).toEqual({ requests: { cpu: "25m", memory: "64Mi" }, limits: { memory: "64Mi" } });
    expect(container.ports).toEqual([{ name: "http", containerPort: 4180, protocol: "TCP" }]);
    const httpGet = { path: "/ping", port: "http" };
    expect([container.startupProbe, container.readinessProbe, container.livenessProbe]).toEqual([
      { httpGet, periodSeconds: 5, failureThreshold: 6, timeoutSeconds: 3 },
      { httpGet, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 },
      { httpGet, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 },
    ]);
  });

  test("only the proxy reaches it; it reaches only the issuer's networks, on the issuer URL's port", () => {
    const { all } = render({ issuerUrl: "https://login.example.com:8443/realms/acme" });
    expect(find<any>(all, "NetworkPolicy", "proxy-auth").spec.ingress).toEqual([{ from: [pods("proxy")], ports: [tcp(4180)] }]);
    expect(find<any>(all, "NetworkPolicy", "proxy-auth").spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: "2001:db8::/48" } }, { ipBlock: { cidr: "203.0.113.0/24" } }], ports: [tcp(8443)] },
    ]);
    expect(find<any>(all, "NetworkPolicy", "proxy").spec.egress).toEqual([
      { to: [pods("proxy-auth")], ports: [tcp(4180)] },
      { to: [pods("api")], ports: [tcp(8000)] },
    ]);
    expect(find<IService>(all, "Service", "proxy-auth").spec?.ports).toEqual([{ name: "http", port: 4180, targetPort: "http", protocol: "TCP" }]);
  });

  test("scales with the proxy: every request to a route with login asks it", () => {
    expect(render({}, { proxy: { replicas: 3 } }).deployment.spec?.replicas).toBe(3);
    const autoscaled = render({}, { proxy: { autoscaling: { minReplicas: 2, maxReplicas: 6 } } });
    expect(find<any>(autoscaled.all, "HorizontalPodAutoscaler", "proxy-auth").spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(find<any>(autoscaled.all, "HorizontalPodAutoscaler", "proxy").spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
  });

  test("nginx asks it before every route with login: pages redirect to sign-in by default, `reject` answers 401, `false` stays public", () => {
    const conf = find<IConfigMap>(render().all, "ConfigMap", "proxy").data?.["nginx.conf"];
    const upstream = { host: "api.shop.svc.cluster.local", port: 8000 };
    expect(conf).toBe(
      renderProxyConfig({
        generatedFrom: "Proxy 'proxy'",
        listenPort: 8080,
        serverNames: ["api.example.com"],
        oauth2Proxy: { host: "proxy-auth.shop.svc.cluster.local", port: 4180 },
        routes: [
          { path: "/", upstream, login: "redirect" },
          { path: "/graphql", upstream, login: "reject" },
          { path: "/status", upstream },
        ],
      }),
    );
  });

  test.each<[string, Partial<Oidc>, string]>([
    ["an issuer over plain http", { issuerUrl: "http://login.example.com" }, "OAuth2Proxy 'proxy-auth': 'issuerUrl' must be an https URL such as https://login.example.com/realms/acme (got 'http://login.example.com')"],
    ["an issuer that is no URL", { issuerUrl: "login.example.com" }, "OAuth2Proxy 'proxy-auth': 'issuerUrl' must be an https URL such as https://login.example.com/realms/acme (got 'login.example.com')"],
    ["an empty client id", { clientId: " " }, "OAuth2Proxy 'proxy-auth': 'clientId' is empty; give the client id registered at the issuer"],
    ["no email domain", { emailDomains: [] }, "OAuth2Proxy 'proxy-auth': 'emailDomains' is empty; list the domains whose users may sign in, or [\"*\"] for any"],
    ["an email domain that is no host name", { emailDomains: ["@acme.com"] }, "OAuth2Proxy 'proxy-auth': email domain '@acme.com' is not valid: expected a DNS host name such as app.example.com, or \"*\""],
    ["a group with a comma", { allowedGroups: ["a,b"] }, "OAuth2Proxy 'proxy-auth': group 'a,b' is not valid: expected a name without commas or spaces"],
    ["an issuer network that is no CIDR", { issuerCidrs: ["login.example.com"] }, "ExternalService 'issuer': 'login.example.com' is not a network: expected an IPv4 or IPv6 CIDR such as 10.0.0.0/8 or 2001:db8::/32"],
    ["no issuer network", { issuerCidrs: [] }, "ExternalService 'issuer': give either 'cidrs' (addresses outside the cluster) or 'namespace' (a namespace of this cluster), not neither"],
  ])("refuses %s", (_, oidc, message) => {
    expect(errorOf(() => render(oidc))).toBe(message);
  });

  test("any email domain is allowed only when said so, with \"*\"", () => {
    expect(render({ emailDomains: ["*"] }).container.args).toContain("--email-domain=*");
  });
});

describe("a Proxy without oidc", () => {
  test("renders no oauth2-proxy, and every route is public", () => {
    const chart = testChart();
    const api = new Api(chart, "api", { image: image("ghcr.io/acme/api") });
    const proxy = new Proxy(chart, "proxy", { image: image("nginx"), hosts: ["api.example.com"], ingress: INGRESS, routes: [{ path: "/", to: api }] });
    expect(proxy.auth).toBeUndefined();
    expect(kindsAndNames(objects(chart)).filter((n) => n.includes("auth"))).toEqual([]);
  });

  test("refuses a route that asks for login", () => {
    expect(errorOf(() => render(null, { routes: (to) => [{ path: "/", to, login: "reject" }] }))).toBe(
      "Proxy 'proxy': route '/' asks for login 'reject', but the proxy has no 'oidc'; configure oidc or drop the login",
    );
  });
});
