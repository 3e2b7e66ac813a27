/**
 * What makes the datapio stack Datapio (seed 001), asserted field by field on the objects rendered from
 * fixture environments beside this test: a microservice (PostgreSQL, a GraphQL API with its certificate and
 * the APIs it consumes), a pipeline engine on RabbitMQ, an API gateway with rate limits and OpenID Connect
 * sign-in, Vault secrets through External Secrets, a namespace per project and environment.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnvironment } from "../../environments";
import { SYNC_WAVE_ANNOTATION } from "../../constructs/lib/roles";
import { callPaths } from "../support/call-paths";
import { renderEnvironments } from "../support/render";
import { errorOf } from "../support/chart";
import { stackSettings } from "../support/stacks";

const rendered = renderEnvironments(join(__dirname, "fixtures/datapio"));
const ENVS = ["dev", "staging", "prod"] as const;
const objectsOf = (env: string) => rendered.objectsOf(env, "datapio");
const find = (env: string, kind: string, name: string) => rendered.find(env, "datapio", kind, name);
const kinds = (env: string) => objectsOf(env).map((o) => `${o.kind}/${o.metadata.name}`);
const container = (env: string, kind: string, name: string) => find(env, kind, name).spec.template.spec.containers[0];
const envOf = (env: string, kind: string, name: string) => rendered.envOf(env, "datapio", kind, name);
/** How envOf shows a variable read from a Secret. */
const secret = (name: string, key: string) => ({ secretKeyRef: { name, key } });

describe("the datapio stack", () => {
  test.each([
    ["dev", "datapio-dev"],
    ["staging", "datapio-staging"],
    ["prod", "datapio"],
  ])("%s is a namespace of its own for the project, %s, Pod Security restricted", (env, namespace) => {
    const namespaced = objectsOf(env).filter((o) => o.kind !== "Namespace");
    expect(new Set(namespaced.map((o) => o.metadata.namespace))).toEqual(new Set([namespace]));
    expect(find(env, "Namespace", namespace).metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  test("staging and prod read every secret from Vault with a role and key folder of their own; dev generates them; nothing is in Git", () => {
    expect(find("staging", "SecretStore", "vault").spec.provider.vault.auth.kubernetes.role).toBe("datapio-staging");
    expect(find("prod", "SecretStore", "vault").spec.provider.vault.auth.kubernetes.role).toBe("datapio-prod");
    const remoteKeys = (env: string) =>
      objectsOf(env)
        .filter((o) => o.kind === "ExternalSecret")
        .flatMap((o: any) => o.spec.data.map((d: { remoteRef: { key: string; property: string } }) => `${d.remoteRef.key}#${d.remoteRef.property}`))
        .sort();
    expect(remoteKeys("prod")).toEqual([
      "prod/datapio/api-secrets#session-key",
      "prod/datapio/database-credentials#password",
      "prod/datapio/database-credentials#superuser-password",
      "prod/datapio/gateway-auth-credentials#client-secret",
      "prod/datapio/gateway-auth-credentials#cookie-secret",
      "prod/datapio/queue-credentials#erlang-cookie",
      "prod/datapio/queue-credentials#password",
    ]);
    expect(remoteKeys("staging").every((k) => k.startsWith("staging/datapio/"))).toBe(true);
    expect(kinds("dev")).toContain("Password/password");
    expect(kinds("dev")).not.toContain("SecretStore/vault");
    for (const env of ENVS) expect(kinds(env).filter((k) => k.startsWith("Secret/"))).toEqual([]);
  });

  describe("the microservice", () => {
    test("the API gets PostgreSQL, the APIs it consumes, its certificate's files and its own secret as variables", () => {
      expect(envOf("prod", "Deployment", "api")).toEqual({
        DATABASE_HOST: "database",
        DATABASE_NAME: "app",
        DATABASE_PASSWORD: secret("database-credentials", "password"),
        DATABASE_PORT: "5432",
        DATABASE_URL: secret("database-credentials", "url"),
        DATABASE_USER: "app",
        LOG_LEVEL: "warning",
        PAYMENTS_HOST: "api.payments.example.com",
        PAYMENTS_PORT: "443",
        SESSION_KEY: secret("api-secrets", "session-key"),
        TLS_CA_FILE: "/etc/tls/ca.crt",
        TLS_CERT_FILE: "/etc/tls/tls.crt",
        TLS_KEY_FILE: "/etc/tls/tls.key",
      });
    });

    test("Prisma syncs the data model with the database before the API rolls out", () => {
      const migrate = find("prod", "Job", "api-migrate");
      expect(migrate.spec.template.spec.containers[0].command).toEqual(["npx", "prisma", "migrate", "deploy"]);
      expect(migrate.metadata.annotations[SYNC_WAVE_ANNOTATION]).toBe("2");
    });

    test("the API may call the database and the APIs it consumes, at the networks each environment gives, and nothing else", () => {
      expect(find("prod", "NetworkPolicy", "api").spec.egress).toEqual([
        { to: [{ ipBlock: { cidr: "198.51.100.0/26" } }, { ipBlock: { cidr: "2001:db8:100::/48" } }], ports: [{ port: 443, protocol: "TCP" }] },
        { to: [{ podSelector: { matchLabels: { "app.kubernetes.io/instance": "datapio", "app.kubernetes.io/name": "database" } } }], ports: [{ port: 5432, protocol: "TCP" }] },
      ]);
      expect(find("dev", "NetworkPolicy", "api").spec.egress[0].to).toEqual([{ ipBlock: { cidr: "198.51.100.64/26" } }]);
    });

    test("a certificate for the API's in-cluster names from the environment's issuer, mounted before the API starts", () => {
      const certificate = find("prod", "Certificate", "api-certificate");
      expect(certificate.spec).toMatchObject({
        secretName: "api-certificate-tls",
        issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: "vault-pki" },
        dnsNames: ["api", "api.datapio", "api.datapio.svc", "api.datapio.svc.cluster.local"],
      });
      expect(certificate.metadata.annotations[SYNC_WAVE_ANNOTATION]).toBe("-1");
      expect(find("dev", "Certificate", "api-certificate").spec.issuerRef.name).toBe("slipway-dev-ca");
      expect(find("dev", "Certificate", "api-certificate").spec.dnsNames[1]).toBe("api.datapio-dev");
      expect(find("prod", "Deployment", "api").spec.template.spec.volumes).toContainEqual({
        name: "etc-tls",
        secret: { secretName: "api-certificate-tls", items: ["tls.crt", "tls.key", "ca.crt"].map((key) => ({ key, path: key })) },
      });
    });

    test("prod autoscales the API and keeps two weeks of database dumps", () => {
      expect(find("prod", "HorizontalPodAutoscaler", "api").spec).toMatchObject({ minReplicas: 2, maxReplicas: 8 });
      expect(find("prod", "CronJob", "database-backup").spec.jobTemplate.spec.template.spec.containers[0].command[2]).toContain("tail -n +15");
      expect(kinds("dev")).not.toContain("CronJob/database-backup");
    });
  });

  describe("the pipeline engine", () => {
    test("consumes the routing keys the environment lists and emits another, on its exchange, as variables", () => {
      expect(envOf("prod", "Deployment", "engine")).toEqual({
        AMQP_HOST: "queue",
        AMQP_PASSWORD: secret("queue-credentials", "password"),
        AMQP_PORT: "5672",
        AMQP_URL: secret("queue-credentials", "url"),
        AMQP_USER: "app",
        AMQP_VHOST: "/",
        API_URL: "http://api:8000",
        ENGINE_CONSUMES: "orders.created,orders.updated",
        ENGINE_EMITS: "orders.enriched",
        ENGINE_EXCHANGE: "datapio",
        ENGINE_HEARTBEAT_FILE: "/tmp/heartbeat",
        ENGINE_QUEUE: "engine",
      });
      expect(envOf("dev", "Deployment", "engine").ENGINE_CONSUMES).toBe("orders.*");
    });

    test("is alive while it touches its heartbeat file", () => {
      expect(container("prod", "Deployment", "engine").livenessProbe.exec.command).toEqual(["sh", "-c", 'test -n "$(find /tmp/heartbeat -mmin -1)"']);
    });

    test("RabbitMQ keeps its volume when the stack is deleted, and its password and cookie come from the store", () => {
      const queue = find("prod", "StatefulSet", "queue");
      expect(queue.metadata.annotations["argocd.argoproj.io/sync-options"]).toBe("Prune=false,Delete=false");
      expect(queue.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("20Gi");
      expect(envOf("prod", "StatefulSet", "queue")).toEqual({
        RABBITMQ_DEFAULT_PASS: secret("queue-credentials", "password"),
        RABBITMQ_DEFAULT_USER: "app",
        RABBITMQ_ERLANG_COOKIE: secret("queue-credentials", "erlang-cookie"),
      });
    });

    test("RabbitMQ's management port is open to no one", () => {
      expect(find("prod", "NetworkPolicy", "queue").spec.ingress).toEqual([
        { from: [{ podSelector: { matchLabels: { "app.kubernetes.io/instance": "datapio", "app.kubernetes.io/name": "engine" } } }], ports: [{ port: 5672, protocol: "TCP" }] },
      ]);
    });
  });

  describe("the API gateway", () => {
    const conf = (env: string) => find(env, "ConfigMap", "gateway").data["nginx.conf"] as string;
    const location = (text: string, head: string) => text.slice(text.indexOf(`${head} {`), text.indexOf("}", text.indexOf(`${head} {`)));

    test("staging and prod: GraphQL answers 401 without a session or token, the rest redirects a browser to sign in", () => {
      const graphql = location(conf("prod"), "location ~ ^/graphql(?:/|$)");
      expect(graphql).toContain("auth_request /oauth2/auth;");
      expect(graphql).not.toContain("error_page");
      expect(location(conf("prod"), "location /")).toContain("error_page 401 = /oauth2/sign_in;");
      expect(conf("staging")).toContain("auth_request /oauth2/auth;");
    });

    test("rate limits per client where the environment says so", () => {
      expect(conf("prod").match(/limit_req_zone .*/g)).toEqual([
        "limit_req_zone $binary_remote_addr zone=route_graphql:10m rate=10r/s;",
        "limit_req_zone $binary_remote_addr zone=route_root:10m rate=10r/s;",
      ]);
      expect(conf("staging")).toContain("rate=20r/s;");
      expect(conf("dev")).not.toContain("limit_req");
    });

    test("signs users in at the environment's issuer through oauth2-proxy; dev has no identity provider and its gateway is open", () => {
      expect(container("prod", "Deployment", "gateway-auth").args).toEqual(
        expect.arrayContaining([
          "--oidc-issuer-url=https://login.example.com/realms/acme",
          "--client-id=orders-gateway",
          "--email-domain=acme.com",
          "--allowed-group=orders-team",
        ]),
      );
      expect(envOf("prod", "Deployment", "gateway-auth").OAUTH2_PROXY_CLIENT_SECRET).toEqual(secret("gateway-auth-credentials", "client-secret"));
      expect(container("staging", "Deployment", "gateway-auth").args).toContain("--client-id=orders-gateway-staging");
      expect(kinds("dev").filter((k) => k.includes("gateway-auth"))).toEqual([]);
      expect(conf("dev")).not.toMatch(/auth_request|oauth2/);
    });

    test("prod runs two of each gateway pod, the sign-in proxy scaled with nginx", () => {
      expect(find("prod", "Deployment", "gateway").spec.replicas).toBe(2);
      expect(find("prod", "Deployment", "gateway-auth").spec.replicas).toBe(2);
    });
  });

  test("the NetworkPolicies allow exactly the call paths: ingress → gateway → api (and its migration) → database and the APIs it consumes; gateway → sign-in → issuer; engine → queue and api", () => {
    expect(callPaths(objectsOf("prod"))).toEqual([
      "api → 198.51.100.0/26:443",
      "api → 2001:db8:100::/48:443",
      "api → database:5432",
      "api-migrate → 198.51.100.0/26:443",
      "api-migrate → 2001:db8:100::/48:443",
      "api-migrate → database:5432",
      "database-backup → database:5432",
      "database-setup → database:5432",
      "engine → api:8000",
      "engine → queue:5672",
      "gateway → api:8000",
      "gateway → gateway-auth:4180",
      "gateway-auth → 203.0.113.10/32:443",
      "namespace ingress-nginx → gateway:8080",
    ]);
    expect(callPaths(objectsOf("dev"))).toEqual([
      "api → 198.51.100.64/26:443",
      "api → database:5432",
      "api-migrate → 198.51.100.64/26:443",
      "api-migrate → database:5432",
      "database-setup → database:5432",
      "engine → api:8000",
      "engine → queue:5672",
      "gateway → api:8000",
      "namespace ingress-nginx → gateway:8080",
    ]);
  });

  test("refuses a routing key RabbitMQ would read as a pattern, an issuer over http and an issuer network that is no CIDR, naming file, line and field", () => {
    const text = readFileSync(join(__dirname, "fixtures/datapio/prod.yaml"), "utf8")
      .replace("emits: orders.enriched", "emits: orders.*")
      .replace("issuerUrl: https://login.example.com/realms/acme", "issuerUrl: http://login.example.com")
      .replace("issuerCidrs: [203.0.113.10/32]", "issuerCidrs: [login.example.com]");
    expect(errorOf(() => parseEnvironment("environments/prod.yaml", text, stackSettings)).split("\n")).toEqual([
      "environments/prod.yaml:65:14: stacks.datapio.engine.emits: expected a routing key such as orders.created (words of letters, digits, '-' and '_', separated by '.'), got 'orders.*'",
      "environments/prod.yaml:78:20: stacks.datapio.gateway.oidc.issuerUrl: expected the issuer's https URL, e.g. https://login.example.com/realms/acme, got 'http://login.example.com'",
      "environments/prod.yaml:80:23: stacks.datapio.gateway.oidc.issuerCidrs[0]: expected an IPv4 or IPv6 CIDR such as 203.0.113.0/24",
    ]);
  });
});
