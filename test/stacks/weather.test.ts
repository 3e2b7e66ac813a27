/**
 * What makes the weather stack the homelab weather app (seeds/004), asserted on fixture environments beside
 * this test: FastAPI on SQLite on a volume (one pod, Recreate, the volume never pruned), a React frontend,
 * k3s's Traefik and local-path storage, and prod moved only by promotion.
 */
import { join } from "node:path";
import { callPaths } from "../support/call-paths";
import { renderEnvironments } from "../support/render";

const rendered = renderEnvironments(join(__dirname, "fixtures/weather"));
const find = (env: string, kind: string, name: string) => rendered.find(env, "weather", kind, name);

describe("the weather stack", () => {
  test.each(["homelab-dev", "homelab"])("%s: weather api uses Recreate and one replica, on a ReadWriteOnce volume that is never pruned", (env) => {
    const api = find(env, "Deployment", "api");
    expect(api.spec.replicas).toBe(1);
    expect(api.spec.strategy).toEqual({ type: "Recreate" });
    expect(api.spec.template.spec.volumes).toContainEqual({ name: "data", persistentVolumeClaim: { claimName: "data" } });
    expect(api.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: "data", mountPath: "/data" });
    expect(api.spec.template.spec.containers[0].env).toContainEqual({ name: "DATABASE_URL", value: "sqlite:////data/weather.db" });
    const claim = find(env, "PersistentVolumeClaim", "data");
    expect(claim.metadata.annotations["argocd.argoproj.io/sync-options"]).toBe("Prune=false,Delete=false");
    expect(claim.spec.accessModes).toEqual(["ReadWriteOnce"]);
    expect(claim.spec.storageClassName).toBe("local-path");
  });

  test("the claim is created in the API's wave, so k3s's local-path (WaitForFirstConsumer) binds it when the API starts", () => {
    expect(find("homelab", "PersistentVolumeClaim", "data").metadata.annotations["argocd.argoproj.io/sync-wave"]).toBe(
      find("homelab", "Deployment", "api").metadata.annotations["argocd.argoproj.io/sync-wave"],
    );
  });

  test("ingress goes through k3s's Traefik, which alone may reach the proxy", () => {
    const ingress = find("homelab", "Ingress", "proxy");
    expect(ingress.spec.ingressClassName).toBe("traefik");
    expect(ingress.spec.tls).toEqual([{ hosts: ["weather.home.example.com"], secretName: "proxy-tls" }]);
    expect(find("homelab", "NetworkPolicy", "proxy").spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } },
    ]);
  });

  test("the network allows exactly the call path: Traefik → proxy → frontend and api", () => {
    expect(callPaths(rendered.objectsOf("homelab", "weather"))).toEqual(["namespace kube-system → proxy:8080", "proxy → api:8000", "proxy → frontend:8080"]);
  });

  test("small requests for a desktop-class server", () => {
    expect(find("homelab", "Deployment", "api").spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "128Mi" } });
    expect(find("homelab", "Deployment", "frontend").spec.template.spec.containers[0].resources.requests).toEqual({ cpu: "10m", memory: "32Mi" });
  });

  test("dev runs tags; prod runs the images promoted from dev, pinned by digest", () => {
    expect(find("homelab-dev", "Deployment", "api").spec.template.spec.containers[0].image).toBe("ghcr.io/acme/weather-api:1.3.0-rc.1");
    expect(find("homelab", "Deployment", "api").spec.template.spec.containers[0].image).toMatch(/^ghcr\.io\/acme\/weather-api:1\.2\.1@sha256:[0-9a-f]{64}$/);
  });

  test("dev and prod share the homelab cluster in namespaces of their own, no secret store needed", () => {
    expect(find("homelab-dev", "Namespace", "weather-dev").metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(find("homelab", "Namespace", "weather").metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(rendered.objectsOf("homelab", "weather").filter((o) => /Secret|Password/.test(o.kind))).toEqual([]);
  });
});
