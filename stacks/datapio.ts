/**
 * Datapio (seed 001): a "microservice" and a "pipeline engine" behind an API gateway, one namespace per
 * project and environment (`datapio-dev`, `datapio-staging`, `datapio`), every secret from Vault through
 * External Secrets (the generator on dev), nothing in Git.
 *
 * - The microservice: PostgreSQL (`database`) and the `api`, the GraphQL endpoint that integrates the business
 *   code. Datapio's "Prisma syncing the data model with the database" is the API's pre-rollout step
 *   (`prisma migrate deploy`, with the API's image and environment) rather than a Prisma 1 server of its
 *   own: Prisma is a library of the business code since Prisma 2. The APIs it consumes are `api.consumes`,
 *   each host with the networks it resolves to: its only egress besides the database and DNS.
 * - The certificate "authenticating the service": cert-manager issues it for the API's in-cluster names
 *   from the environment's issuer (Vault PKI on staging and prod, as Datapio's OpenCore does; a CA issuer on
 *   dev) and the API mounts it at /etc/tls (TLS_CERT_FILE, TLS_KEY_FILE, TLS_CA_FILE), to serve TLS or to
 *   present it to the APIs it calls.
 * - The pipeline engine: RabbitMQ (`queue`) and the `engine` daemon, which declares its queue on the topic
 *   exchange `engine.exchange`, binds the routing keys `engine.consumes`, and publishes what it produces
 *   with the routing key `engine.emits`; all four given as ENGINE_* variables. It calls the microservice's
 *   API (API_URL) and proves it is alive by touching ENGINE_HEARTBEAT_FILE at least every 30 s.
 * - The API gateway (`gateway`, nginx): the GraphQL endpoint (/graphql) for API clients, answering 401
 *   without a session or a bearer token the issuer signed, and the rest of the API (the schema explorer)
 *   for browsers, redirected to sign in; both rate limited per client where the environment says so.
 *   Sign-in is OpenID Connect through oauth2-proxy (`gateway-auth`) where the environment configures
 *   `gateway.oidc` (staging and prod): dev has no identity provider, so its gateway is open.
 * - Custom secrets of the business code (`api.secrets`, `engine.secrets`) come from the stack's Vault
 *   folder, `<env>/datapio/api-secrets` and `engine-secrets`, each key as a variable (`session-key` →
 *   `SESSION_KEY`).
 *
 * The call paths, exactly what the NetworkPolicies allow: ingress controller → gateway → api, gateway →
 * gateway-auth → the OIDC issuer's networks; api and its migration (which shares its environment and
 * connections) → database and the APIs it consumes; engine → queue (AMQP only; its management UI is for `kubectl port-forward`) and engine → api;
 * the database's setup and backup steps → database.
 */
import { Api } from "../constructs/api";
import { Certificate } from "../constructs/certificate";
import { Database } from "../constructs/database";
import { ExternalSecret } from "../constructs/external-secret";
import { ExternalService } from "../constructs/external-service";
import { envPrefixOf, type Env } from "../constructs/lib/env";
import { MessageQueue } from "../constructs/message-queue";
import { Proxy } from "../constructs/proxy";
import type { SecretStore } from "../constructs/secret-store";
import { Worker } from "../constructs/worker";
import { DnsLabel, formatted, RateLimit, StackBase } from "../environments/schema";
import { AMQP_BINDING_KEY, AMQP_ROUTING_KEY } from "../lib/formats";
import { z } from "zod";
import type { Construct } from "constructs";
import { defineStack } from "./lib/define";
import {
  ApiSettings,
  CertificateSettings,
  DatabaseSettings,
  ExternalApiSettings,
  MessageQueueSettings,
  OidcSettings,
  ProxySettings,
  WorkerSettings,
} from "./lib/settings";

const CustomSecrets = z
  .array(DnsLabel)
  .default([])
  .describe("Keys of the component's own secrets in the stack's Vault folder, each given as a variable: session-key → SESSION_KEY.");

const TLS_PATH = "/etc/tls";
const HEARTBEAT_FILE = "/tmp/heartbeat";

export default defineStack({
  settings: StackBase.extend({
    database: DatabaseSettings,
    api: ApiSettings.extend({
      consumes: z.record(DnsLabel, ExternalApiSettings).default({}).describe("The APIs the microservice calls, by name (NAME_HOST, NAME_PORT): its only egress."),
      secrets: CustomSecrets,
    }),
    certificate: CertificateSettings,
    queue: MessageQueueSettings,
    engine: WorkerSettings.extend({
      exchange: DnsLabel.default("datapio").describe("The topic exchange the engine consumes from and publishes to."),
      consumes: z.array(formatted(AMQP_BINDING_KEY)).min(1).describe("Routing keys the engine's queue is bound to (topic patterns: * one word, # any)."),
      emits: formatted(AMQP_ROUTING_KEY).describe("Routing key of what the engine publishes."),
      secrets: CustomSecrets,
    }),
    gateway: ProxySettings.extend({
      rateLimit: RateLimit.optional().describe("Per-client-IP rate limit on the API. @default no limit"),
      oidc: OidcSettings.optional().describe("OpenID Connect sign-in in front of the API. @default none: the gateway is open"),
    }),
  }).strict(),

  build(scope, { settings, env, secrets }) {
    const database = new Database(scope, "database", { ...settings.database, secrets });

    const { consumes: apis, secrets: apiKeys, ...apiSettings } = settings.api;
    const certificate = new Certificate(scope, "api-certificate", { ...settings.certificate, services: ["api"] });
    const api = new Api(scope, "api", {
      ...apiSettings,
      env: {
        ...apiSettings.env,
        ...customSecrets(scope, "api-secrets", secrets, apiKeys),
        TLS_CERT_FILE: `${TLS_PATH}/tls.crt`,
        TLS_KEY_FILE: `${TLS_PATH}/tls.key`,
        TLS_CA_FILE: `${TLS_PATH}/ca.crt`,
      },
      volumes: { [TLS_PATH]: certificate.volume(["tls.crt", "tls.key", "ca.crt"]) },
      migration: { command: ["npx", "prisma", "migrate", "deploy"] },
    });
    api.connect(database);
    for (const [name, external] of Object.entries(apis)) {
      const service = new ExternalService(scope, `${name}-api`, { host: external.host, cidrs: external.cidrs, ports: { api: external.port } });
      api.connect(service, { envPrefix: envPrefixOf(name) });
    }

    const queue = new MessageQueue(scope, "queue", { ...settings.queue, secrets });
    const { exchange, consumes: bindings, emits, secrets: engineKeys, ...engineSettings } = settings.engine;
    new Worker(scope, "engine", {
      ...engineSettings,
      env: {
        ...engineSettings.env,
        ...customSecrets(scope, "engine-secrets", secrets, engineKeys),
        ENGINE_EXCHANGE: exchange,
        ENGINE_QUEUE: "engine",
        ENGINE_CONSUMES: bindings.join(","),
        ENGINE_EMITS: emits,
        ENGINE_HEARTBEAT_FILE: HEARTBEAT_FILE,
      },
      probe: { exec: ["sh", "-c", `test -n "$(find ${HEARTBEAT_FILE} -mmin -1)"`] },
    })
      .connect(queue)
      .connect(api);

    const { rateLimit, oidc, ...gateway } = settings.gateway;
    new Proxy(scope, "gateway", {
      ...gateway,
      hosts: settings.hosts,
      ingress: env.ingress,
      ...(oidc ? { oidc: { ...oidc, secrets } } : {}),
      routes: [
        { path: "/graphql", to: api, rateLimit, login: oidc ? "reject" : false },
        { path: "/", to: api, rateLimit, login: oidc ? "redirect" : false },
      ],
    });
  },
});

/** The component's own secrets from the stack's Vault folder, as variables named after their keys. */
function customSecrets(scope: Construct, secretName: string, store: SecretStore, keys: readonly string[]): Env {
  if (keys.length === 0) return {};
  const secret = new ExternalSecret(scope, secretName, { store, secretName, keys });
  return Object.fromEntries(keys.map((key) => [envPrefixOf(key), secret.ref(key)]));
}
