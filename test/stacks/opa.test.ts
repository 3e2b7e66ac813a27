/**
 * What makes the opa stack opa-stack (seeds/000), asserted on fixture environments beside this test: a
 * FastAPI API in two security contexts, MongoDB, a Redis job queue with its worker, WebSockets through the
 * proxy, and an HPA in prod.
 */
import { join } from "node:path";
import { callPaths } from "../support/call-paths";
import { renderEnvironments } from "../support/render";

const rendered = renderEnvironments(join(__dirname, "fixtures/opa"));
const find = (env: string, kind: string, name: string) => rendered.find(env, "opa", kind, name);
const kinds = (env: string) => rendered.objectsOf(env, "opa").map((o) => `${o.kind}/${o.metadata.name}`);
const callPathsOf = (env: string) => callPaths(rendered.objectsOf(env, "opa"));

describe("the opa stack", () => {
  test("runs two instances of the API image, each with its own ServiceAccount and NetworkPolicy; only the public one is routed", () => {
    for (const name of ["api", "api-internal"]) {
      expect(find("prod", "Deployment", name).spec.template.spec.serviceAccountName).toBe(name);
      expect(find("prod", "ServiceAccount", name).automountServiceAccountToken).toBe(false);
      expect(find("prod", "Deployment", name).spec.template.spec.containers[0].image).toBe(
        "docker.io/opastack/api:0.8.4@sha256:3b1f0c7e5d9a2b4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d",
      );
    }
    const conf = find("prod", "ConfigMap", "proxy").data["nginx.conf"] as string;
    expect(conf).toContain("api.opa.svc.cluster.local");
    expect(conf).not.toContain("api-internal");
  });

  test("the network allows exactly opa's call paths: ingress → proxy → api; both instances and the worker → MongoDB and the queue; backups off-site", () => {
    expect(callPathsOf("prod")).toEqual([
      "api → api-internal:8000",
      "api → database:27017",
      "api → queue:6379",
      "api-internal → database:27017",
      "api-internal → queue:6379",
      "database-backup → 3.5.134.0/23:443",
      "database-backup → 52.219.168.0/21:443",
      "database-backup → database:27017",
      "database-setup → database:27017",
      "namespace ingress-nginx → proxy:8080",
      "proxy → api:8000",
      "worker → database:27017",
      "worker → queue:6379",
    ]);
  });

  test("the instances call each other only where links says so", () => {
    expect(callPathsOf("staging").filter((p) => p.startsWith("api") && p.includes("→ api"))).toEqual([]);
    expect(find("staging", "Deployment", "api").spec.template.spec.containers[0].env.map((v: { name: string }) => v.name)).not.toContain("API_INTERNAL_URL");
    expect(find("prod", "Deployment", "api").spec.template.spec.containers[0].env).toContainEqual({ name: "API_INTERNAL_URL", value: "http://api-internal:8000" });
  });

  test("the API, the internal instance and the worker get MongoDB and the queue as URLs with their passwords URL-encoded", () => {
    for (const name of ["api", "api-internal", "worker"]) {
      const env = find("prod", "Deployment", name).spec.template.spec.containers[0].env;
      expect(env).toContainEqual({ name: "MONGODB_URL", valueFrom: { secretKeyRef: { name: "database-credentials", key: "url" } } });
      expect(env).toContainEqual({ name: "REDIS_URL", valueFrom: { secretKeyRef: { name: "queue-credentials", key: "url" } } });
    }
  });

  test("MongoDB runs with its data protected, a least-privilege user set up on every sync, and daily mongodump backups copied off-site in prod", () => {
    const mongo = find("prod", "StatefulSet", "database");
    expect(mongo.spec.template.spec.containers[0].image).toMatch(/^docker\.io\/library\/mongo:7\.0\.14@sha256:/);
    expect(mongo.metadata.annotations["argocd.argoproj.io/sync-options"]).toBe("Prune=false,Delete=false");
    expect(find("prod", "Job", "database-setup").spec.template.spec.containers[0].command.slice(0, 4)).toEqual(["mongosh", "--nodb", "--quiet", "--eval"]);
    const backup = find("prod", "CronJob", "database-backup").spec.jobTemplate.spec.template.spec;
    expect(backup.initContainers[0].command[2]).toContain("mongodump --config=/tmp/mongodump.yaml");
    expect(backup.initContainers[0].command[2]).toContain("tail -n +15");
    expect(backup.containers[0].command).toEqual(["rclone", "copy", "/backup", "offsite:acme-opa-backups/opa/database", "--include", "*.archive.gz", "--immutable", "--verbose"]);
    expect(find("prod", "ExternalSecret", "database-backup-offsite").spec.data[0].remoteRef.key).toBe("prod/opa/database-backup-offsite");
    expect(kinds("dev")).not.toContain("CronJob/database-backup");
    expect(kinds("staging")).not.toContain("ExternalSecret/database-backup-offsite");
  });

  test("the queue never evicts a job, and keeps an append-only file outside dev", () => {
    expect(find("prod", "ConfigMap", "queue").data["redis.conf"]).toContain("maxmemory-policy noeviction\n");
    expect(find("prod", "ConfigMap", "queue").data["redis.conf"]).toContain("appendonly yes\n");
    expect(find("dev", "ConfigMap", "queue").data["redis.conf"]).toContain("appendonly no\n");
  });

  test("the worker consumes the queue with the API's image, proving it is alive by its heartbeat", () => {
    const worker = find("prod", "Deployment", "worker");
    const container = worker.spec.template.spec.containers[0];
    expect(container.command).toEqual(["python", "-m", "opa.worker"]);
    expect(container.livenessProbe.exec.command).toEqual(["sh", "-c", "test $(( $(date +%s) - $(stat -c %Y /tmp/heartbeat) )) -lt 60"]);
    expect(worker.spec.replicas).toBe(2);
    expect(kinds("prod")).not.toContain("Service/worker");
  });

  test("the proxy upgrades WebSockets on /ws, and passes REST and GraphQL through", () => {
    const conf = find("prod", "ConfigMap", "proxy").data["nginx.conf"] as string;
    const ws = conf.slice(conf.indexOf("location ~ ^/ws(?:/|$) {"), conf.indexOf("}", conf.indexOf("location ~ ^/ws(?:/|$) {")));
    expect(ws).toContain("proxy_set_header Upgrade $http_upgrade;");
    expect(conf).toContain("location ~ ^/graphql(?:/|$) {");
  });

  test("prod scales the public API with an HPA between 2 and 8 pods", () => {
    expect(find("prod", "HorizontalPodAutoscaler", "api").spec).toMatchObject({ minReplicas: 2, maxReplicas: 8 });
    expect(find("prod", "Deployment", "api").spec.replicas).toBeUndefined();
    expect(find("staging", "Deployment", "api").spec.replicas).toBe(2);
  });

  test("each environment reads its own Vault folder with a role of its own; dev generates its passwords", () => {
    expect(find("prod", "SecretStore", "vault").spec.provider.vault.auth.kubernetes.role).toBe("opa-prod");
    expect(find("staging", "SecretStore", "vault").spec.provider.vault.auth.kubernetes.role).toBe("opa-staging");
    expect(find("staging", "ExternalSecret", "database-credentials").spec.data[0].remoteRef.key).toBe("staging/opa/database-credentials");
    expect(kinds("dev")).toContain("Password/password");
  });
});
