/**
 * What differs between dev, staging and prod for the reference stack, asserted field by field on the
 * objects rendered from the repository's own environment files. The committed dist/ is the whole picture.
 */
import { App } from "cdk8s";
import { join } from "node:path";
import { loadEnvironments } from "../../environments";
import { buildStacks } from "../../render/build";
import { stackSettings } from "../../stacks/settings";
import type { KubeObject } from "../../lib/kube-object";

const environments = loadEnvironments(join(__dirname, "../../environments"), stackSettings);
const charts = buildStacks(new App(), environments);

function objectsOf(env: string): KubeObject[] {
  const found = charts.find((c) => c.env === env && c.stack === "web");
  if (!found) throw new Error(`no web chart for ${env}`);
  return found.chart.toJson() as KubeObject[];
}
function find(env: string, kind: string, name: string): any {
  const object = objectsOf(env).find((o) => o.kind === kind && o.metadata.name === name);
  if (!object) throw new Error(`${env}: no ${kind}/${name}`);
  return object;
}
const kinds = (env: string) => objectsOf(env).map((o) => `${o.kind}/${o.metadata.name}`);

describe("the web stack", () => {
  test.each([
    ["dev", "web-dev"],
    ["staging", "web-staging"],
    ["prod", "shop"],
  ])("%s renders every object into namespace %s", (env, namespace) => {
    expect(new Set(objectsOf(env).map((o) => o.metadata.namespace))).toEqual(new Set([namespace]));
  });

  test("prod pins every image by digest; dev and staging run tags", () => {
    const images = (env: string) =>
      objectsOf(env).flatMap((o: any) => {
        const pod = o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
        return pod ? pod.containers.map((c: { image: string }) => c.image) : [];
      });
    expect(images("prod").every((i) => /@sha256:[a-f0-9]{64}$/.test(i))).toBe(true);
    expect(images("staging").some((i) => i.includes("@"))).toBe(false);
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
    expect(find("prod", "PodDisruptionBudget", "api").spec.unhealthyPodEvictionPolicy).toBe("AlwaysAllow");
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
    expect(find("prod", "PersistentVolumeClaim", "database-backup").spec.resources.requests.storage).toBe("200Gi");
  });

  test("dev has no backups; staging keeps 3 dumps at 02:30", () => {
    expect(kinds("dev")).not.toContain("CronJob/database-backup");
    expect(find("staging", "CronJob", "database-backup").spec.schedule).toBe("30 2 * * *");
  });

  test("dev generates its passwords; staging and prod read them from Vault with their own role", () => {
    expect(kinds("dev")).toContain("Password/password");
    expect(kinds("dev")).not.toContain("SecretStore/vault");
    expect(find("staging", "SecretStore", "vault").spec.provider.vault.auth.kubernetes.role).toBe("web-staging");
    expect(find("prod", "SecretStore", "vault").spec.provider.vault.auth.kubernetes.role).toBe("web-prod");
    expect(find("prod", "ExternalSecret", "database-credentials").spec.data).toEqual([
      { secretKey: "password", remoteRef: { key: "web/database-credentials", property: "password", conversionStrategy: "Default", decodingStrategy: "None", metadataPolicy: "None" } },
    ]);
  });

  test("the migration Job runs the environment's migration command, alembic by default", () => {
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
    const from = (env: string, name: string) =>
      (find(env, "NetworkPolicy", name).spec.ingress ?? []).flatMap((rule: any) =>
        rule.from.map((peer: any) => peer.podSelector?.matchLabels["app.kubernetes.io/name"] ?? `ns:${peer.namespaceSelector.matchLabels["kubernetes.io/metadata.name"]}`),
      );
    expect(from("prod", "proxy")).toEqual(["ns:ingress-nginx"]);
    expect(from("prod", "frontend")).toEqual(["proxy"]);
    expect(from("prod", "api")).toEqual(["proxy"]);
    expect(from("prod", "database")).toEqual(["api", "api-migrate", "database-backup"]);
    expect(from("prod", "cache")).toEqual(["api"]);
    expect(from("dev", "database")).toEqual(["api", "api-migrate"]);
  });
});
