import type { IDeployment } from "kubernetes-models/apps/v1";
import type { IConfigMap, IService } from "kubernetes-models/v1";
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
  return { frontend, all, deployment, pod, web: pod.containers[0]!, data: find<IConfigMap>(all, "ConfigMap", "frontend").data };
}

describe("Frontend", () => {
  test("renders a ConfigMap, a ServiceAccount, a Deployment and a Service in either mode", () => {
    const kinds = ["ConfigMap/frontend", "ServiceAccount/frontend", "Deployment/frontend", "Service/frontend"];
    expect(kindsAndNames(render().all)).toEqual(kinds);
    expect(kindsAndNames(render({ mode: "ssr" }).all)).toEqual(kinds);
  });

  test("requests 50m CPU and 128Mi by default, one replica, in a container named web", () => {
    const { web, deployment } = render();
    expect(web.name).toBe("web");
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

    test("an empty config is accepted", () => {
      expect(() => render({ config: {} })).not.toThrow();
    });
  });

  describe("ssr", () => {
    test("runs the Node server as uid 1000 on port 3000, told its port through PORT in the ConfigMap", () => {
      const { frontend, web, pod, data } = render({ mode: "ssr" });
      expect(frontend.mode).toBe("ssr");
      expect(frontend.ports).toEqual({ http: 3000 });
      expect(web.ports).toEqual([{ name: "http", containerPort: 3000, protocol: "TCP" }]);
      expect(pod.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
      expect(data).toEqual({ PORT: "3000" });
      expect(web.envFrom).toEqual([{ configMapRef: { name: "frontend" } }]);
    });

    test("config joins PORT in the ConfigMap, keys sorted, its hash on the pods", () => {
      const { data, deployment } = render({ mode: "ssr", config: { PUBLIC_API_URL: "/api", NODE_ENV: "production" } });
      expect(data).toEqual({ NODE_ENV: "production", PORT: "3000", PUBLIC_API_URL: "/api" });
      expect(Object.keys(data ?? {})).toEqual(["NODE_ENV", "PORT", "PUBLIC_API_URL"]);
      expect(deployment.spec?.template.metadata?.annotations).toEqual({ "slipway.dev/config-hash": checksum(JSON.stringify(data)) });
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
      const { web, pod, data } = render({ mode: "ssr", port: 4000, healthPath: "/api/health", runAsUser: 1001 });
      expect(data).toEqual({ PORT: "4000" });
      expect(web.readinessProbe?.httpGet).toEqual({ path: "/api/health", port: "http" });
      expect(pod.securityContext).toMatchObject({ runAsUser: 1001 });
    });

    test("refuses PORT in config, which would move the server away from its Service and probes", () => {
      expect(errorOf(() => render({ mode: "ssr", config: { PORT: "4000" } }))).toMatch(/'PORT'/);
    });
  });

  describe("validation", () => {
    test.each<[string, Partial<FrontendProps>, string]>([
      [
        "config on a static site",
        { config: { API_URL: "/api" } },
        "Frontend 'frontend': 'config' is read only by ssr frontends; a static site bakes its settings in at build time",
      ],
      ["a privileged port", { port: 80 }, "Frontend 'frontend': 'port' must be an unprivileged port between 1024 and 65535 (got 80)"],
      ["a port that is no integer", { mode: "ssr", port: 3000.5 }, "Frontend 'frontend': 'port' must be an unprivileged port between 1024 and 65535 (got 3000.5)"],
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
