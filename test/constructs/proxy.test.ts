import type { IDeployment } from "kubernetes-models/apps/v1";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import type { IIngress } from "kubernetes-models/networking.k8s.io/v1";
import type { IConfigMap, IService } from "kubernetes-models/v1";
import type { Chart } from "cdk8s";
import { Api } from "../../constructs/api";
import { Frontend } from "../../constructs/frontend";
import { renderProxyConfig } from "../../constructs/lib/nginx-config";
import { checksum } from "../../constructs/lib/workload";
import { NGINX_USER_ID, NGINX_WRITABLE_PATHS, Proxy, type ProxyProps, type ProxyRouteProps } from "../../constructs/proxy";
import { Worker } from "../../constructs/worker";
import { errorOf, find, image, INGRESS, kindsAndNames, objects, testChart } from "../support/chart";

const SELECTOR = { "app.kubernetes.io/name": "proxy", "app.kubernetes.io/instance": "web" };
const peer = (name: string) => ({ podSelector: { matchLabels: { "app.kubernetes.io/instance": "web", "app.kubernetes.io/name": name } } });

interface Targets {
  readonly frontend: Frontend;
  readonly api: Api;
  readonly chart: Chart;
}

const REFERENCE_ROUTES = ({ frontend, api }: Targets): ProxyRouteProps[] => [
  { path: "/", to: frontend },
  { path: "/api", to: api, rateLimit: { requestsPerSecond: 10, burst: 40 } },
  { path: "/api/ws", to: api, websocket: true },
];

const PROPS = {
  image: image("docker.io/nginxinc/nginx-unprivileged", "1.27.3-alpine"),
  hosts: ["shop.example.com", "www.shop.example.com"],
  ingress: INGRESS,
};

/** The config the reference props must render: each route to its target's Service, by full name, on its first port. */
const REFERENCE_CONFIG = renderProxyConfig({
  generatedFrom: "Proxy 'proxy'",
  listenPort: 8080,
  serverNames: ["shop.example.com", "www.shop.example.com"],
  routes: [
    { path: "/", upstream: { host: "frontend.shop.svc.cluster.local", port: 8080 } },
    { path: "/api", upstream: { host: "api.shop.svc.cluster.local", port: 8000 }, rateLimit: { requestsPerSecond: 10, burst: 40 } },
    { path: "/api/ws", upstream: { host: "api.shop.svc.cluster.local", port: 8000 }, websocket: true },
  ],
});

/** The proxy in front of a static frontend (port 8080) and an API (port 8000), routed as the web stack does unless `routes` says otherwise. */
function render(props: Partial<Omit<ProxyProps, "routes">> & { routes?: (t: Targets) => ProxyRouteProps[] } = {}, chart = testChart()) {
  const targets = {
    chart,
    frontend: new Frontend(chart, "frontend", { image: image("ghcr.io/acme/shop-web") }),
    api: new Api(chart, "api", { image: image("ghcr.io/acme/shop-api") }),
  };
  const { routes = REFERENCE_ROUTES, ...rest } = props;
  const proxy = new Proxy(chart, "proxy", { ...PROPS, ...rest, routes: routes(targets) });
  const all = objects(chart);
  const deployment = find<IDeployment>(all, "Deployment", "proxy");
  const pod = deployment.spec!.template.spec!;
  return {
    ...targets,
    proxy,
    all,
    deployment,
    pod,
    nginx: pod.containers[0]!,
    conf: find<IConfigMap>(all, "ConfigMap", "proxy").data?.["nginx.conf"],
    ingress: find<IIngress>(all, "Ingress", "proxy"),
  };
}

describe("Proxy", () => {
  test("renders its NetworkPolicy, a ConfigMap, a ServiceAccount, a Deployment, a Service and an Ingress", () => {
    expect(kindsAndNames(render().all).filter((n) => n.endsWith("/proxy"))).toEqual([
      "NetworkPolicy/proxy",
      "ConfigMap/proxy",
      "ServiceAccount/proxy",
      "Deployment/proxy",
      "Service/proxy",
      "Ingress/proxy",
    ]);
  });

  describe("network", () => {
    test("only the ingress controller's namespace reaches it; it reaches exactly the components it routes to", () => {
      expect(find<any>(render().all, "NetworkPolicy", "proxy").spec).toEqual({
        podSelector: { matchLabels: SELECTOR },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [{ port: 8080, protocol: "TCP" }] }],
        egress: [
          { to: [peer("api")], ports: [{ port: 8000, protocol: "TCP" }] },
          { to: [peer("frontend")], ports: [{ port: 8080, protocol: "TCP" }] },
        ],
      });
    });

    test("its targets admit it on the routed port, and no one else", () => {
      const { all } = render();
      expect(find<any>(all, "NetworkPolicy", "api").spec.ingress).toEqual([{ from: [peer("proxy")], ports: [{ port: 8000, protocol: "TCP" }] }]);
      expect(find<any>(all, "NetworkPolicy", "frontend").spec.ingress).toEqual([{ from: [peer("proxy")], ports: [{ port: 8080, protocol: "TCP" }] }]);
    });

    test("follows the ingress controller's namespace (k3s's Traefik lives in kube-system)", () => {
      const policy = find<any>(render({ ingress: { ...INGRESS, className: "traefik", controllerNamespace: "kube-system" } }).all, "NetworkPolicy", "proxy");
      expect(policy.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }]);
    });
  });

  describe("nginx.conf", () => {
    test("is rendered from the hosts and routes, each upstream the target's Service by full name on its http port", () => {
      const { conf } = render();
      expect(conf).toBe(REFERENCE_CONFIG);
      expect(conf).toContain("frontend.shop.svc.cluster.local:8080");
      expect(conf).toContain("api.shop.svc.cluster.local:8000");
    });

    test("upstream names follow the chart's namespace", () => {
      expect(render({}, testChart({ namespace: "web-dev" })).conf).toContain("api.web-dev.svc.cluster.local:8000");
    });

    test("clientMaxBodySize and upstreamTimeoutSeconds reach the config", () => {
      const { conf } = render({ clientMaxBodySize: "50m", upstreamTimeoutSeconds: 120 });
      expect(conf).toBe(
        renderProxyConfig({
          generatedFrom: "Proxy 'proxy'",
          listenPort: 8080,
          serverNames: PROPS.hosts,
          routes: [
            { path: "/", upstream: { host: "frontend.shop.svc.cluster.local", port: 8080 } },
            { path: "/api", upstream: { host: "api.shop.svc.cluster.local", port: 8000 }, rateLimit: { requestsPerSecond: 10, burst: 40 } },
            { path: "/api/ws", upstream: { host: "api.shop.svc.cluster.local", port: 8000 }, websocket: true },
          ],
          clientMaxBodySize: "50m",
          upstreamTimeoutSeconds: 120,
        }),
      );
    });

    test("is mounted read-only over /etc/nginx/nginx.conf by subPath, from the proxy's ConfigMap", () => {
      const { nginx, pod } = render();
      expect(nginx.volumeMounts).toContainEqual({ name: "config", mountPath: "/etc/nginx/nginx.conf", subPath: "nginx.conf", readOnly: true });
      expect(pod.volumes).toContainEqual({ name: "config", configMap: { name: "proxy" } });
    });

    test("its hash on the pods rolls them when it changes (subPath mounts never see ConfigMap updates)", () => {
      const { deployment, conf } = render();
      expect(deployment.spec?.template.metadata?.annotations).toEqual({ "slipway.dev/config-hash": checksum(conf!) });
      const changed = render({ clientMaxBodySize: "1m" }).deployment.spec?.template.metadata?.annotations?.["slipway.dev/config-hash"];
      expect(changed).not.toBe(checksum(conf!));
    });
  });

  describe("pod", () => {
    test("runs nginx as uid 101 on port 8080, probing /healthz with 30s to start", () => {
      const { nginx, pod, proxy } = render();
      const httpGet = { path: "/healthz", port: "http" };
      expect(NGINX_USER_ID).toBe(101);
      expect(proxy.ports).toEqual({ http: 8080 });
      expect(nginx.name).toBe("proxy");
      expect(nginx.ports).toEqual([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
      expect(pod.securityContext).toMatchObject({ runAsUser: 101, runAsGroup: 101, fsGroup: 101 });
      expect(nginx.startupProbe).toEqual({ httpGet, periodSeconds: 5, failureThreshold: 6, timeoutSeconds: 3 });
      expect(nginx.readinessProbe).toEqual({ httpGet, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 });
      expect(nginx.livenessProbe).toEqual({ httpGet, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 });
    });

    test("writes only to /tmp and /var/cache/nginx, each an emptyDir", () => {
      const { nginx, pod } = render();
      expect(NGINX_WRITABLE_PATHS).toEqual(["/tmp", "/var/cache/nginx"]);
      expect(nginx.volumeMounts?.slice(0, 2)).toEqual([
        { name: "tmp", mountPath: "/tmp" },
        { name: "var-cache-nginx", mountPath: "/var/cache/nginx" },
      ]);
      expect(pod.volumes).toEqual([
        { name: "tmp", emptyDir: {} },
        { name: "var-cache-nginx", emptyDir: {} },
        { name: "config", configMap: { name: "proxy" } },
      ]);
    });

    test("requests 50m CPU and 64Mi by default; resources replace them", () => {
      expect(render().nginx.resources).toEqual({ requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "64Mi" } });
      expect(render({ resources: { cpu: "200m", memory: "128Mi" } }).nginx.resources).toEqual({
        requests: { cpu: "200m", memory: "128Mi" },
        limits: { memory: "128Mi" },
      });
    });

    test("is reached through a ClusterIP Service on the http port", () => {
      expect(find<IService>(render().all, "Service", "proxy").spec).toEqual({
        type: "ClusterIP",
        selector: SELECTOR,
        ports: [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }],
      });
    });

    test("scales like every stateless workload: one replica by default, an HPA when autoscaled", () => {
      expect(render().deployment.spec?.replicas).toBe(1);
      const { all, deployment } = render({ autoscaling: { minReplicas: 2, maxReplicas: 6 }, highAvailability: true });
      expect(deployment.spec).not.toHaveProperty("replicas");
      expect(find<IHorizontalPodAutoscaler>(all, "HorizontalPodAutoscaler", "proxy").spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
      expect(deployment.spec?.template.spec?.topologySpreadConstraints).toHaveLength(2);
    });
  });

  describe("Ingress", () => {
    test("routes every host to the proxy Service's http port, in the given ingress class", () => {
      const rule = (host: string) => ({
        host,
        http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "proxy", port: { name: "http" } } } }] },
      });
      expect(render().ingress.spec).toEqual({
        ingressClassName: "nginx",
        tls: [{ hosts: ["shop.example.com", "www.shop.example.com"], secretName: "proxy-tls" }],
        rules: [rule("shop.example.com"), rule("www.shop.example.com")],
      });
    });

    test("asks cert-manager for the certificate from a ClusterIssuer", () => {
      expect(render({ ingress: { ...INGRESS, className: "traefik" } }).ingress.metadata?.annotations).toEqual({
        "cert-manager.io/cluster-issuer": "letsencrypt-prod",
      });
    });

    test("asks cert-manager for the certificate from a namespaced Issuer", () => {
      expect(render({ ingress: { ...INGRESS, className: "traefik", tlsIssuer: { kind: "Issuer", name: "shop-ca" } } }).ingress.metadata?.annotations).toEqual({
        "cert-manager.io/issuer": "shop-ca",
      });
    });

    test("raises ingress-nginx's body and timeout limits to the proxy's, so uploads and WebSockets pass", () => {
      const annotations = render({ clientMaxBodySize: "50m" }).ingress.metadata?.annotations;
      expect(annotations).toEqual({
        "cert-manager.io/cluster-issuer": "letsencrypt-prod",
        "nginx.ingress.kubernetes.io/proxy-body-size": "50m",
        "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
        "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
      });
    });

    test("without WebSocket routes the ingress-nginx timeouts follow the upstream timeout", () => {
      const annotations = render({ upstreamTimeoutSeconds: 120, routes: ({ frontend }) => [{ path: "/", to: frontend }] }).ingress.metadata?.annotations;
      expect(annotations?.["nginx.ingress.kubernetes.io/proxy-read-timeout"]).toBe("120");
      expect(annotations?.["nginx.ingress.kubernetes.io/proxy-body-size"]).toBe("10m");
    });

    test("carries the proxy's labels", () => {
      expect(render().ingress.metadata?.labels).toEqual({
        ...SELECTOR,
        "app.kubernetes.io/component": "proxy",
        "app.kubernetes.io/version": "1.27.3-alpine",
        "app.kubernetes.io/part-of": "web",
        "app.kubernetes.io/managed-by": "slipway",
      });
    });
  });

  describe("validation", () => {
    test("refuses an empty host list", () => {
      expect(errorOf(() => render({ hosts: [] }))).toBe("Proxy 'proxy': 'hosts' is empty; list the public host names");
    });

    test("refuses a chart without a namespace, as upstream names need one", () => {
      expect(errorOf(() => render({}, testChart({ namespace: undefined })))).toBe(
        "Proxy 'proxy': the chart has no namespace; upstream Service names need one",
      );
    });

    test("refuses a route to a component that serves no such port", () => {
      const routes = ({ chart }: Targets) => [
        { path: "/", to: new Worker(chart, "indexer", { image: image("ghcr.io/acme/indexer"), probe: { exec: ["true"] } }) },
      ];
      expect(errorOf(() => render({ routes }))).toBe("Proxy 'proxy': route '/' goes to Worker 'indexer', which serves no port 'http'");
    });

    test("refuses a connection's variables: nginx reads no environment", () => {
      const chart = testChart();
      const { proxy, api } = render({}, chart);
      expect(errorOf(() => proxy.connect(api))).toBe("Proxy 'proxy': nginx reads no environment; connect to it, or route to a component");
    });

    test("refuses scaling settings that contradict each other", () => {
      expect(errorOf(() => render({ replicas: 0 }))).toBe("Proxy 'proxy': 'replicas': expected a pod count from 1 to 1000, got 0");
    });

    test("refuses an upstream timeout of 0 seconds instead of silently using 60", () => {
      expect(errorOf(() => render({ upstreamTimeoutSeconds: 0 }))).toBe(
        "Proxy 'proxy': upstreamTimeoutSeconds: expected an integer from 1 to 3600, got 0",
      );
    });
  });
});
