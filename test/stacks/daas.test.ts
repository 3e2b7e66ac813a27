/**
 * What makes the daas stack DaaS (seed 002), asserted on the objects rendered from fixture environments
 * beside this test: Liquibase migrations before the apps, Solr as the index, an indexer batching by count or
 * time as each environment says, dynaconf-style configuration, and exactly the seed's call paths.
 * Solr itself does not run here (see test/constructs/search-index.test.ts for how to check it for real).
 */
import { join } from "node:path";
import { heartbeatProbe } from "../../stacks/daas";
import { callPaths } from "../support/call-paths";
import { renderEnvironments } from "../support/render";

const rendered = renderEnvironments(join(__dirname, "fixtures/daas"));
const ENVS = ["dev", "staging", "prod"] as const;
const objectsOf = (env: string) => rendered.objectsOf(env, "daas");
const find = (env: string, kind: string, name: string) => rendered.find(env, "daas", kind, name);
const kinds = (env: string) => objectsOf(env).map((o) => `${o.kind}/${o.metadata.name}`);
const containerOf = (env: string, kind: string, name: string) => find(env, kind, name).spec.template.spec.containers[0];
const envOf = (env: string, kind: string, name: string) => rendered.envOf(env, "daas", kind, name);
const secretRef = (name: string, key: string) => ({ secretKeyRef: { name, key } });

describe("the daas stack", () => {
  test.each([
    ["dev", "daas-dev"],
    ["staging", "daas-staging"],
    ["prod", "daas"],
  ])("%s lands in namespace %s", (env, namespace) => {
    expect(new Set(objectsOf(env).filter((o) => o.kind !== "Namespace").map((o) => o.metadata.namespace))).toEqual(new Set([namespace]));
  });

  test.each([
    ["dev", "10", "5", "1"],
    ["staging", "100", "10", "1"],
    ["prod", "500", "30", "2"],
  ])("daas indexer batch size comes from the env: %s flushes every %s records or %ss, and its heartbeat may be %s minute(s) old", (env, size, seconds, minutes) => {
    expect(envOf(env, "Deployment", "indexer")).toMatchObject({ DYNACONF_BATCH_SIZE: size, DYNACONF_BATCH_SECONDS: seconds });
    expect(containerOf(env, "Deployment", "indexer").livenessProbe.exec.command).toEqual(["sh", "-c", `find /tmp/heartbeat -mmin -${minutes} | grep -q .`]);
  });

  test("the indexer's heartbeat window is three batch intervals, in whole minutes", () => {
    expect(heartbeatProbe(20)[2]).toBe("find /tmp/heartbeat -mmin -1 | grep -q .");
    expect(heartbeatProbe(21)[2]).toBe("find /tmp/heartbeat -mmin -2 | grep -q .");
    expect(heartbeatProbe(600)[2]).toBe("find /tmp/heartbeat -mmin -30 | grep -q .");
  });

  test("Liquibase migrates the schema before the apps roll out, as the application role, with the image the environment pins", () => {
    const job = find("prod", "Job", "migrate");
    expect(job.metadata.annotations).toEqual({
      "argocd.argoproj.io/hook": "Sync",
      "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
      "argocd.argoproj.io/sync-wave": "2",
    });
    const pod = job.spec.template.spec;
    expect(pod.securityContext.runAsUser).toBe(1001);
    expect(pod.containers[0].image).toBe("ghcr.io/acme/daas-db:0.8.2@sha256:3d5e65f5d0b8260d482093cc04ba30f43a08bdaf9618b453159c6a21f517a2f8");
    expect(pod.containers[0].command).toEqual(["/liquibase/docker-entrypoint.sh", "update"]);
    expect(envOf("prod", "Job", "migrate")).toEqual({
      LIQUIBASE_COMMAND_CHANGELOG_FILE: "changelog.xml",
      LIQUIBASE_COMMAND_PASSWORD: secretRef("database-credentials", "password"),
      LIQUIBASE_COMMAND_URL: "jdbc:postgresql://database:5432/daas",
      LIQUIBASE_COMMAND_USERNAME: "daas",
    });
    expect(find("prod", "Deployment", "api").metadata.annotations["argocd.argoproj.io/sync-wave"]).toBe("3");
    expect(find("dev", "Job", "migrate").spec.template.spec.containers[0].image).toBe("ghcr.io/acme/daas-db:0.9.0");
  });

  test("Solr is the index: the core each environment names is created on first start and clients get SOLR_URL", () => {
    for (const env of ENVS) {
      expect(containerOf(env, "StatefulSet", "search").args).toEqual(["solr-precreate", "daas"]);
      expect(envOf(env, "Deployment", "api").SOLR_URL).toBe("http://search:8983/solr/daas");
      expect(envOf(env, "Deployment", "indexer").SOLR_URL).toBe("http://search:8983/solr/daas");
    }
    expect(envOf("prod", "StatefulSet", "search").SOLR_HEAP).toBe("1g");
    expect(find("prod", "StatefulSet", "search").spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("50Gi");
    expect(find("prod", "StatefulSet", "search").metadata.annotations["argocd.argoproj.io/sync-options"]).toBe("Prune=false,Delete=false");
    expect(envOf("dev", "Deployment", "auth").SOLR_URL).toBeUndefined();
  });

  test("dynaconf reads the environment's name, plain settings from the environment file and secrets from the store", () => {
    for (const env of ENVS) {
      for (const [kind, name] of [["Deployment", "api"], ["Deployment", "auth"], ["Deployment", "indexer"]]) {
        expect([env, name, envOf(env, kind!, name!).ENV_FOR_DYNACONF]).toEqual([env, name, env]);
      }
    }
    expect(envOf("dev", "Deployment", "api")).toMatchObject({
      DYNACONF_LOG_LEVEL: "DEBUG",
      DYNACONF_SECRET_KEY: secretRef("api-secrets", "secret-key"),
      DYNACONF_JWT_SIGNING_KEY: secretRef("auth-secrets", "jwt-signing-key"),
    });
    expect(envOf("prod", "Deployment", "auth")).toMatchObject({
      DYNACONF_SECRET_KEY: secretRef("auth-secrets", "secret-key"),
      DYNACONF_JWT_SIGNING_KEY: secretRef("auth-secrets", "jwt-signing-key"),
    });
    expect(envOf("prod", "Deployment", "api").DYNACONF_LOG_LEVEL).toBeUndefined();
  });

  test("dev generates its secrets; staging and prod read them from Vault with a role and key folder of their own", () => {
    expect(kinds("dev")).toContain("Password/password");
    expect(find("staging", "SecretStore", "vault").spec.provider.vault.auth.kubernetes.role).toBe("daas-staging");
    expect(find("prod", "SecretStore", "vault").spec.provider.vault.auth.kubernetes.role).toBe("daas-prod");
    const remoteKeys = (env: string) =>
      objectsOf(env)
        .filter((o) => o.kind === "ExternalSecret")
        .flatMap((o: any) => o.spec.data.map((d: { remoteRef: { key: string } }) => d.remoteRef.key));
    expect([...new Set(remoteKeys("prod"))].sort()).toEqual(["prod/daas/api-secrets", "prod/daas/auth-secrets", "prod/daas/database-credentials"]);
    expect(remoteKeys("staging").every((k: string) => k.startsWith("staging/daas/"))).toBe(true);
    for (const env of ENVS) expect(kinds(env).filter((k) => k.startsWith("Secret/"))).toEqual([]);
  });

  test("the public entry sends /auth to the auth service and everything else to the API", () => {
    const conf = find("prod", "ConfigMap", "proxy").data["nginx.conf"] as string;
    expect(conf).toContain("auth.daas.svc.cluster.local:8000");
    expect(conf).toContain("api.daas.svc.cluster.local:8000");
    expect(find("prod", "Ingress", "proxy").spec.rules.map((r: { host: string }) => r.host)).toEqual(["daas.example.com"]);
  });

  test("prod runs two indexers, two auth pods and the API autoscaled from 2 to 6", () => {
    expect(find("prod", "Deployment", "indexer").spec.replicas).toBe(2);
    expect(find("prod", "Deployment", "auth").spec.replicas).toBe(2);
    expect(find("prod", "HorizontalPodAutoscaler", "api").spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(find("dev", "Deployment", "indexer").spec.replicas).toBe(1);
  });

  test("the network allows exactly the seed's call paths: proxy → api/auth, api → database/Solr, auth → database, indexer → database/Solr, migrate → database", () => {
    expect(callPaths(objectsOf("prod"))).toEqual([
      "api → database:5432",
      "api → search:8983",
      "auth → database:5432",
      "database-backup → database:5432",
      "database-setup → database:5432",
      "indexer → database:5432",
      "indexer → search:8983",
      "migrate → database:5432",
      "namespace ingress-nginx → proxy:8080",
      "proxy → api:8000",
      "proxy → auth:8000",
    ]);
    expect(callPaths(objectsOf("dev")).filter((p) => p.startsWith("database-backup"))).toEqual([]);
  });
});
