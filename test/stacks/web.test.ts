/**
 * What differs between dev, staging and prod for the reference stack, asserted field by field on the
 * objects rendered from fixture environments beside this test (copies of the shapes of the repository's
 * own files, so promoting an image there never breaks a test). The committed dist/ is the whole picture.
 */
import { join } from "node:path";
import { callPaths } from "../support/call-paths";
import { renderEnvironments } from "../support/render";

const rendered = renderEnvironments(join(__dirname, "fixtures/web"));
const objectsOf = (env: string) => rendered.objectsOf(env, "web");
const find = (env: string, kind: string, name: string) => rendered.find(env, "web", kind, name);
const kinds = (env: string) => objectsOf(env).map((o) => `${o.kind}/${o.metadata.name}`);
describe("the web stack", () => {
  test.each([
    ["dev", "web-dev"],
    ["staging", "web-staging"],
    ["prod", "shop"],
  ])("%s renders every namespaced object into namespace %s, and the Namespace itself", (env, namespace) => {
    const namespaced = objectsOf(env).filter((o) => o.kind !== "Namespace");
    expect(new Set(namespaced.map((o) => o.metadata.namespace))).toEqual(new Set([namespace]));
    expect(find(env, "Namespace", namespace).metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  test("prod pins every image by digest; dev and staging run tags", () => {
    const images = (env: string) =>
      objectsOf(env).flatMap((o: any) => {
        const pod = o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
        return pod ? pod.containers.map((c: { image: string }) => c.image) : [];
      });
    expect(images("prod").every((i: string) => /@sha256:[a-f0-9]{64}$/.test(i))).toBe(true);
    expect(images("staging").some((i: string) => i.includes("@"))).toBe(false);
    expect(find("prod", "Deployment", "api").spec.template.spec.containers[0].image).toBe(
      "ghcr.io/acme/shop-api:1.4.2@sha256:5f0c3a4e1d2b9c8a7e6f5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a29180",
    );
  });

  test("prod autoscales the API between 3 and 10 pods and leaves replicas to the HPA", () => {
    expect(find("prod", "Deployment", "api").spec.replicas).toBeUndefined();
    expect(find("prod", "HorizontalPodAutoscaler", "api").spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
    expect(find("staging", "Deployment", "api").spec.replicas).toBe(2);
    expect(find("dev", "Deployment", "api").spec.replicas).toBe(1);
    expect(kinds("dev")).not.toContain("HorizontalPodAutoscaler/api");
  });

  test("replicated workloads get a PDB and topology spread in every environment; single pods get neither", () => {
    expect(find("prod", "PodDisruptionBudget", "frontend").spec.maxUnavailable).toBe(1);
    expect(find("staging", "PodDisruptionBudget", "api").spec.maxUnavailable).toBe(1);
    expect(kinds("dev").filter((k) => k.startsWith("PodDisruptionBudget/"))).toEqual([]);
    expect(find("prod", "Deployment", "proxy").spec.template.spec.topologySpreadConstraints).toHaveLength(2);
    expect(find("staging", "Deployment", "proxy").spec.template.spec.topologySpreadConstraints).toHaveLength(2);
    expect(find("dev", "Deployment", "proxy").spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });

  test("prod database keeps its volume when the stack is deleted and is backed up daily, 14 dumps kept", () => {
    const db = find("prod", "StatefulSet", "database");
    expect(db.metadata.annotations["argocd.argoproj.io/sync-options"]).toBe("Prune=false,Delete=false");
    expect(db.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
    expect(db.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ["ReadWriteOnce"],
      storageClassName: "fast-ssd",
      resources: { requests: { storage: "100Gi" } },
    });
    const backup = find("prod", "CronJob", "database-backup");
    expect(backup.spec.schedule).toBe("0 3 * * *");
    expect(backup.spec.jobTemplate.spec.template.spec.containers[0].command[2]).toContain("tail -n +15");
    expect(find("prod", "PersistentVolumeClaim", "database-backups").spec).toEqual({
      accessModes: ["ReadWriteOnce"],
      storageClassName: "fast-ssd",
      resources: { requests: { storage: "200Gi" } },
    });
  });

  test("dev has no backups; staging keeps 3 dumps at 02:30", () => {
    expect(kinds("dev")).not.toContain("CronJob/database-backup");
    expect(find("staging", "CronJob", "database-backup").spec.schedule).toBe("30 2 * * *");
  });

  test("dev generates its passwords; staging and prod read them from Vault with a role and key folder of their own", () => {
    expect(kinds("dev")).toContain("Password/password");
    expect(kinds("dev")).not.toContain("SecretStore/vault");
    expect(find("staging", "SecretStore", "vault").spec.provider.vault.auth.kubernetes.role).toBe("web-staging");
    expect(find("prod", "SecretStore", "vault").spec.provider.vault.auth.kubernetes.role).toBe("web-prod");
    const remoteKeys = (env: string) => find(env, "ExternalSecret", "database-credentials").spec.data.map((d: { remoteRef: { key: string } }) => d.remoteRef.key);
    expect(new Set(remoteKeys("prod"))).toEqual(new Set(["prod/web/database-credentials"]));
    expect(new Set(remoteKeys("staging"))).toEqual(new Set(["staging/web/database-credentials"]));
  });

  test("the API gets the database and cache as URLs and parts, the session key from Vault, and runs alembic before it rolls out", () => {
    const env = find("prod", "Deployment", "api").spec.template.spec.containers[0].env.map((v: { name: string }) => v.name);
    expect(env).toEqual([
      "DATABASE_HOST",
      "DATABASE_NAME",
      "DATABASE_PASSWORD",
      "DATABASE_PORT",
      "DATABASE_URL",
      "DATABASE_USER",
      "LOG_LEVEL",
      "REDIS_HOST",
      "REDIS_PASSWORD",
      "REDIS_PORT",
      "REDIS_URL",
      "SECRET_KEY",
    ]);
    expect(find("prod", "Job", "api-migrate").spec.template.spec.containers[0].command).toEqual(["alembic", "upgrade", "head"]);
  });

  test("no environment renders a Secret", () => {
    for (const env of ["dev", "staging", "prod"]) expect(kinds(env).filter((k) => k.startsWith("Secret/"))).toEqual([]);
  });

  test("the ingress serves each environment's hosts with a certificate from its issuer", () => {
    const prod = find("prod", "Ingress", "proxy");
    expect(prod.metadata.annotations["cert-manager.io/cluster-issuer"]).toBe("letsencrypt-prod");
    expect(prod.spec.tls).toEqual([{ hosts: ["shop.example.com", "www.shop.example.com"], secretName: "proxy-tls" }]);
    expect(find("dev", "Ingress", "proxy").metadata.annotations["cert-manager.io/cluster-issuer"]).toBe("letsencrypt-staging");
  });

  test("rate limits on /api only where the environment sets them", () => {
    const conf = (env: string) => find(env, "ConfigMap", "proxy").data["nginx.conf"] as string;
    expect(conf("prod")).toMatch(/limit_req_zone .* rate=10r\/s;/);
    expect(conf("staging")).toMatch(/limit_req_zone .* rate=20r\/s;/);
    expect(conf("dev")).not.toMatch(/limit_req_zone/);
  });

  test("the network allows exactly the call path: ingress → proxy → frontend/api → database/cache", () => {
    expect(callPaths(rendered.objectsOf("prod", "web"))).toEqual([
      "api → cache:6379",
      "api → database:5432",
      "api-migrate → cache:6379",
      "api-migrate → database:5432",
      "database-backup → database:5432",
      "database-setup → database:5432",
      "namespace ingress-nginx → proxy:8080",
      "proxy → api:8000",
      "proxy → frontend:8080",
    ]);
    expect(callPaths(rendered.objectsOf("dev", "web")).filter((path) => path.startsWith("database-backup"))).toEqual([]);
  });

  test("each namespace's quota holds the stack at its largest: prod's HPAs at their maximum, twice over", () => {
    expect(find("prod", "ResourceQuota", "shop").spec.hard.pods).toBe("60");
    expect(find("dev", "ResourceQuota", "web-dev").spec.hard.pods).toBe("20");
  });
});
