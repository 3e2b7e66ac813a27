import type { IDeployment } from "kubernetes-models/apps/v1";
import type { IConfigMap, IService } from "kubernetes-models/v1";
import { Api } from "../../constructs/api";
import { Frontend, type FrontendProps } from "../../constructs/frontend";
import { renderStaticSiteConfig } from "../../constructs/lib/nginx-config";
import { checksum } from "../../constructs/lib/workload";
import { errorOf, find, image, kindsAndNames, objects, testChart } from "../support/chart";

const SELECTOR = { "app.kubernetes.io/name": "frontend", "app.kubernetes.io/instance": "web" };

function render(props: Partial<FrontendProps> = {}) {
  const chart = testChart();
  const frontend = new Frontend(chart, "frontend", { image: image("ghcr.io/acme/shop-web", "2.3.1"), ...props });
  const all = objects(chart);
  const deployment = find<IDeployment>(all, "Deployment", "frontend");
  const pod = deployment.spec!.template.spec!;
  const configMap = all.find((o) => o.kind === "ConfigMap") as IConfigMap | undefined;
  return { frontend, all, deployment, pod, web: pod.containers[0]!, data: configMap?.data };
}

describe("Frontend", () => {
  test("renders its NetworkPolicy, a ServiceAccount, a Deployment and a Service, and a ConfigMap when static", () => {
    const kinds = ["NetworkPolicy/frontend", "ServiceAccount/frontend", "Deployment/frontend", "Service/frontend"];
    expect(kindsAndNames(render().all)).toEqual(["NetworkPolicy/frontend", "ConfigMap/frontend", ...kinds.slice(1)]);
    expect(kindsAndNames(render({ mode: "ssr" }).all)).toEqual(kinds);
  });

  test("requests 50m CPU and 128Mi by default, one replica, in a container named after the component", () => {
    const { web, deployment } = render();
    expect(web.name).toBe("frontend");
    expect(web.image).toBe("ghcr.io/acme/shop-web:2.3.1");
    expect(web.resources).toEqual({ requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "128Mi" } });
    expect(deployment.spec?.replicas).toBe(1);
  });

  describe("static (the default)", () => {
    test("is served by nginx as uid 101 on port 8080 behind a ClusterIP Service", () => {
      const { frontend, all, web, pod } = render();
      expect(frontend.mode).toBe("static");
      expect(frontend.ports).toEqual({ http: 8080 });
      expect(web.ports).toEqual([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
      expect(pod.securityContext).toMatchObject({ runAsUser: 101, runAsGroup: 101, fsGroup: 101 });
      expect(find<IService>(all, "Service", "frontend").spec).toEqual({
        type: "ClusterIP",
        selector: SELECTOR,
        ports: [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }],
      });
    });

    test("runs the generated nginx.conf, mounted read-only by subPath, its hash on the pods", () => {
      const { data, web, pod, deployment } = render();
      const conf = renderStaticSiteConfig({ generatedFrom: "Frontend 'frontend'", listenPort: 8080 });
      expect(data).toEqual({ "nginx.conf": conf });
      expect(web.volumeMounts).toContainEqual({ name: "config", mountPath: "/etc/nginx/nginx.conf", subPath: "nginx.conf", readOnly: true });
      expect(pod.volumes).toContainEqual({ name: "config", configMap: { name: "frontend" } });
      expect(deployment.spec?.template.metadata?.annotations).toEqual({ "slipway.dev/config-hash": checksum(conf) });
    });

    test("probes the config's /healthz with 30s to start", () => {
      const { web } = render();
      const httpGet = { path: "/healthz", port: "http" };
      expect(web.startupProbe).toEqual({ httpGet, periodSeconds: 5, failureThreshold: 6, timeoutSeconds: 3 });
      expect(web.readinessProbe).toEqual({ httpGet, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 });
      expect(web.livenessProbe).toEqual({ httpGet, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 });
    });

    test("writes only to nginx's /tmp and /var/cache/nginx, and reads no environment", () => {
      const { web, pod } = render();
      expect(pod.volumes?.filter((v) => v.emptyDir)).toEqual([
        { name: "tmp", emptyDir: {} },
        { name: "var-cache-nginx", emptyDir: {} },
      ]);
      expect(web).not.toHaveProperty("envFrom");
      expect(web).not.toHaveProperty("env");
    });

    test("a port moves the listen directive, the container port and the Service", () => {
      const { data, web, all } = render({ port: 9090 });
      expect(data?.["nginx.conf"]).toBe(renderStaticSiteConfig({ generatedFrom: "Frontend 'frontend'", listenPort: 9090 }));
      expect(web.ports).toEqual([{ name: "http", containerPort: 9090, protocol: "TCP" }]);
      expect(find<IService>(all, "Service", "frontend").spec?.ports?.[0]?.port).toBe(9090);
    });

    test("an empty env is accepted", () => {
      expect(() => render({ env: {} })).not.toThrow();
    });
  });

  describe("ssr", () => {
    test("runs the Node server as uid 1000 on port 3000, told its port through PORT", () => {
      const { frontend, web, pod } = render({ mode: "ssr" });
      expect(frontend.mode).toBe("ssr");
      expect(frontend.ports).toEqual({ http: 3000 });
      expect(web.ports).toEqual([{ name: "http", containerPort: 3000, protocol: "TCP" }]);
      expect(pod.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
      expect(web.env).toEqual([{ name: "PORT", value: "3000" }]);
    });

    test("env joins PORT, sorted, Secret keys as references: the server-side session secret never reaches the browser", () => {
      const { web } = render({ mode: "ssr", env: { PUBLIC_API_URL: "/api", SESSION_SECRET: { secretName: "frontend-secrets", key: "session" } } });
      expect(web.env).toEqual([
        { name: "PORT", value: "3000" },
        { name: "PUBLIC_API_URL", value: "/api" },
        { name: "SESSION_SECRET", valueFrom: { secretKeyRef: { name: "frontend-secrets", key: "session" } } },
      ]);
    });

    test("probes / with the default 60s to start", () => {
      const { web } = render({ mode: "ssr" });
      const httpGet = { path: "/", port: "http" };
      expect(web.startupProbe).toEqual({ httpGet, periodSeconds: 5, failureThreshold: 12, timeoutSeconds: 3 });
      expect(web.readinessProbe).toEqual({ httpGet, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 });
      expect(web.livenessProbe).toEqual({ httpGet, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 });
    });

    test("writes only to /tmp and mounts no nginx config", () => {
      const { web, pod } = render({ mode: "ssr" });
      expect(web.volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
      expect(pod.volumes).toEqual([{ name: "tmp", emptyDir: {} }]);
    });

    test("port, healthPath and runAsUser replace the defaults", () => {
      const { web, pod } = render({ mode: "ssr", port: 4000, healthPath: "/api/health", runAsUser: 1001 });
      expect(web.env).toEqual([{ name: "PORT", value: "4000" }]);
      expect(web.readinessProbe?.httpGet).toEqual({ path: "/api/health", port: "http" });
      expect(pod.securityContext).toMatchObject({ runAsUser: 1001 });
    });

    test("refuses PORT in env, which would move the server away from its Service and probes", () => {
      expect(errorOf(() => render({ mode: "ssr", env: { PORT: "4000" } }))).toBe(
        "Frontend 'frontend': 'PORT' is set both by its env and by its port; keep one (a connection's variables can be renamed with its envPrefix)",
      );
    });

    test("connecting it to the API gives it API_URL", () => {
      const chart = testChart();
      const api = new Api(chart, "api", { image: image("ghcr.io/acme/shop-api") });
      new Frontend(chart, "frontend", { image: image("ghcr.io/acme/shop-web"), mode: "ssr" }).connect(api);
      expect(find<IDeployment>(objects(chart), "Deployment", "frontend").spec?.template.spec?.containers[0]?.env).toContainEqual({
        name: "API_URL",
        value: "http://api:8000",
      });
    });
  });

  test("a static site cannot take a connection's variables: it has no server to read them", () => {
    const chart = testChart();
    const api = new Api(chart, "api", { image: image("ghcr.io/acme/shop-api") });
    const frontend = new Frontend(chart, "frontend", { image: image("ghcr.io/acme/shop-web") });
    expect(errorOf(() => frontend.connect(api))).toBe(
      "Frontend 'frontend': a static site has no server to read variables (its connection to Api 'api'); connect with envPrefix: false, or use mode ssr",
    );
  });

  describe("validation", () => {
    test.each<[string, Partial<FrontendProps>, string]>([
      [
        "env on a static site",
        { env: { API_URL: "/api" } },
        "Frontend 'frontend': 'env' is read only by ssr frontends; a static site bakes its settings in at build time",
      ],
      ["a privileged port", { port: 80 }, "Frontend 'frontend': port 'http' must be an unprivileged port between 1024 and 65535 (got 80)"],
      ["a port that is no integer", { mode: "ssr", port: 3000.5 }, "Frontend 'frontend': port 'http' must be an unprivileged port between 1024 and 65535 (got 3000.5)"],
      [
        "high availability on one pod",
        { highAvailability: true },
        "Frontend 'frontend': high availability needs at least 2 pods (got 1 replica); set replicas ≥ 2 or autoscaling.minReplicas ≥ 2",
      ],
    ])("refuses %s", (_, props, message) => {
      expect(errorOf(() => render(props))).toBe(message);
    });
  });
});
