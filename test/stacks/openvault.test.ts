/**
 * What makes the openvault stack Open Vault (seed 003), asserted on the objects rendered from fixture
 * environments beside this test: its two namespaces, the call sequence client → proxy → frontend → backend
 * → database as the only network paths, and a jumpbox that runs on the demo and not in prod by default.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnvironment } from "../../environments";
import { validate } from "../../validation";
import { STRICT_PROFILE } from "../../validation/types";
import { jumpboxEnabled } from "../../stacks/lib/settings";
import { callPaths } from "../support/call-paths";
import { problemsOf } from "../support/problems";
import { renderEnvironments } from "../support/render";
import { stackSettings } from "../support/stacks";

const FIXTURES = join(__dirname, "fixtures/openvault");
const rendered = renderEnvironments(FIXTURES);
const objectsOf = (env: string) => rendered.objectsOf(env, "openvault");
const find = (env: string, kind: string, name: string) => rendered.find(env, "openvault", kind, name);
const kinds = (env: string) => objectsOf(env).map((o) => `${o.kind}/${o.metadata.name}`);
const envOf = (env: string, kind: string, name: string) => rendered.envOf(env, "openvault", kind, name);

describe("the openvault stack", () => {
  test("openvault prod lands in namespace openvault, the demo in ov-demo", () => {
    for (const [env, namespace] of [
      ["prod", "openvault"],
      ["staging", "ov-demo"],
    ] as const) {
      expect(new Set(objectsOf(env).filter((o) => o.kind !== "Namespace").map((o) => o.metadata.namespace))).toEqual(new Set([namespace]));
      expect(find(env, "Namespace", namespace).metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    }
  });

  test("refuses any namespace but openvault and ov-demo, naming the file and field", () => {
    const text = readFileSync(join(FIXTURES, "staging.yaml"), "utf8").replace("namespace: ov-demo", "namespace: ov-staging");
    expect(problemsOf(() => parseEnvironment("environments/staging.yaml", text, stackSettings))).toEqual([
      "environments/staging.yaml:20:16: stacks.openvault.namespace: expected one of 'openvault', 'ov-demo', got 'ov-staging'",
    ]);
  });

  test("the network allows exactly the seed's call sequence: client → proxy → frontend → backend → database", () => {
    expect(callPaths(objectsOf("prod"))).toEqual([
      "backend → database:5432",
      "backend-migrate → database:5432",
      "database-backup → database:5432",
      "database-setup → database:5432",
      "frontend → backend:8000",
      "namespace ingress-nginx → proxy:8080",
      "proxy → frontend:3000",
    ]);
  });

  test("on the demo, the jumpbox adds exactly its own paths: to the database and the backend, and nothing reaches it", () => {
    const prod = new Set(callPaths(objectsOf("prod")));
    expect(callPaths(objectsOf("staging")).filter((p) => !prod.has(p))).toEqual(["jumpbox → backend:8000", "jumpbox → database:5432"]);
    expect(find("staging", "NetworkPolicy", "jumpbox").spec.ingress).toBeUndefined();
    expect(kinds("staging").filter((k) => k.endsWith("/jumpbox"))).toEqual(["NetworkPolicy/jumpbox", "ServiceAccount/jumpbox", "Deployment/jumpbox"]);
  });

  test("prod runs no jumpbox although its file lists one: it is off where high availability is on, unless enabled", () => {
    expect(kinds("prod").filter((k) => k.includes("jumpbox"))).toEqual([]);
    expect(jumpboxEnabled({}, { highAvailability: true })).toBe(false);
    expect(jumpboxEnabled({}, { highAvailability: false })).toBe(true);
    expect(jumpboxEnabled({ enabled: true }, { highAvailability: true })).toBe(true);
    expect(jumpboxEnabled({ enabled: false }, { highAvailability: false })).toBe(false);
  });

  test("a jumpbox turned on in prod passes the gate, its three waivers reported with their reasons", async () => {
    const objects = renderEnvironments(join(__dirname, "fixtures/openvault-prod-jumpbox")).objectsOf("prod", "openvault");
    const report = await validate([{ path: "prod/openvault/all.yaml", objects }], { profileFor: () => STRICT_PROFILE });
    expect(report.findings).toEqual([]);
    expect(report.allowed.map((a) => `${a.kind}/${a.name} ${a.rule}: ${a.reason}`)).toEqual([
      "Deployment/jumpbox min-replicas: a jumpbox is one operator shell and a second copy would serve no one",
      "Deployment/jumpbox pdb-required: evicting the jumpbox costs an operator a reconnect and nothing more",
      "Deployment/jumpbox topology-spread: a single operator shell has no replicas to spread across nodes",
    ]);
  });

  test("the frontend renders on the server and finds the backend as OV_API_URL", () => {
    expect(envOf("prod", "Deployment", "frontend")).toEqual({ OV_API_URL: "http://backend:8000", PORT: "3000" });
    expect(find("prod", "Deployment", "frontend").spec.template.spec.containers[0].readinessProbe.httpGet).toEqual({ path: "/", port: "http" });
  });

  test("the backend reads the database as ov-wag's OV_DB_* settings, listens on 8000 and is probed on its health endpoint", () => {
    const backend = envOf("prod", "Deployment", "backend");
    expect(backend).toMatchObject({
      OV_DB_HOST: "database",
      OV_DB_PORT: "5432",
      OV_DB_NAME: "openvault",
      OV_DB_USER: "openvault",
      OV_DB_PASSWORD: { secretKeyRef: { name: "database-credentials", key: "password" } },
      OV_SECRET_KEY: { secretKeyRef: { name: "backend-secrets", key: "secret-key" } },
      PORT: "8000",
      DJANGO_SETTINGS_MODULE: "ov_wag.settings.production",
    });
    const container = find("prod", "Deployment", "backend").spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet).toEqual({ path: "/api/v2/health/", port: "http" });
    expect(container.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(["/tmp", "/logs", "/app/static"]);
    expect(find("prod", "Job", "backend-migrate").spec.template.spec.containers[0].command).toEqual(["python", "manage.py", "migrate", "--noinput"]);
  });

  test("Django allows each environment's public hosts and the name the frontend calls it by", () => {
    expect(envOf("prod", "Deployment", "backend")).toMatchObject({ OV_ALLOWED_HOSTS: "openvault.example.org,backend", OV_TRUSTED_ORIGINS: "https://openvault.example.org" });
    expect(envOf("staging", "Deployment", "backend")).toMatchObject({
      OV_ALLOWED_HOSTS: "demo.openvault.example.org,backend",
      OV_TRUSTED_ORIGINS: "https://demo.openvault.example.org",
    });
  });

  test("the proxy serves each environment's host and routes everything to the frontend; Wagtail's admin is not public", () => {
    const conf = find("prod", "ConfigMap", "proxy").data["nginx.conf"] as string;
    expect(conf).toContain("frontend.openvault.svc.cluster.local:3000");
    expect(conf).not.toContain("backend");
    expect(find("staging", "Ingress", "proxy").spec.tls).toEqual([{ hosts: ["demo.openvault.example.org"], secretName: "proxy-tls" }]);
  });

  test("staging and prod read their secrets from Vault with a role and key folder of their own; nothing renders a Secret", () => {
    expect(find("staging", "SecretStore", "vault").spec.provider.vault.auth.kubernetes.role).toBe("openvault-staging");
    expect(find("prod", "SecretStore", "vault").spec.provider.vault.auth.kubernetes.role).toBe("openvault-prod");
    expect(find("prod", "ExternalSecret", "backend-secrets").spec.data[0].remoteRef.key).toBe("prod/openvault/backend-secrets");
    for (const env of ["staging", "prod"]) expect(kinds(env).filter((k) => k.startsWith("Secret/"))).toEqual([]);
  });

  test("the database is the official Debian PostgreSQL 14 (uid 999), backed up daily, its volume kept", () => {
    const db = find("prod", "StatefulSet", "database");
    expect(db.spec.template.spec.containers[0].image).toMatch(/^docker\.io\/library\/postgres:14\.15@sha256:/);
    expect(db.spec.template.spec.securityContext.runAsUser).toBe(999);
    expect(db.metadata.annotations["argocd.argoproj.io/sync-options"]).toBe("Prune=false,Delete=false");
    expect(find("prod", "CronJob", "database-backup").spec.jobTemplate.spec.template.spec.containers[0].command[2]).toContain("tail -n +15");
  });
});
