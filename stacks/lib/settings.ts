/**
 * What an environment file may say about each kind of component, as schema building blocks a stack's
 * settings are made of (`StackBase.extend({ api: ApiSettings, … })`). Every default is the construct's
 * own (`Api.defaults`…), read from it, never restated: the file, the editor's schema and the construct
 * cannot disagree. Plain zod objects, so a stack may `.extend()` any of them.
 */
import { z } from "zod";
import { Api } from "../../constructs/api";
import { Cache } from "../../constructs/cache";
import { Certificate } from "../../constructs/certificate";
import { Database, ENGINES, MAX_BACKUP_KEEP, type DatabaseEngine } from "../../constructs/database";
import { Frontend } from "../../constructs/frontend";
import { MessageQueue } from "../../constructs/message-queue";
import { OAuth2Proxy } from "../../constructs/oauth2-proxy";
import { Jumpbox } from "../../constructs/jumpbox";
import { Proxy } from "../../constructs/proxy";
import { SearchIndex } from "../../constructs/search-index";
import { Worker } from "../../constructs/worker";
import { GO_DURATION, JAVA_SIZE, NGINX_SIZE, S3_BUCKET, SOLR_CORE } from "../../lib/formats";
import { CronSchedule, DnsLabel, DnsSubdomain, EnvValues, formatted, Hostname, ImageRef, Resources, Scaling, Storage } from "../../environments/schema";
import { DEFAULT_CLIENT_MAX_BODY_SIZE, DEFAULT_UPSTREAM_TIMEOUT_SECONDS } from "../../constructs/lib/nginx-config";

const Port = z.number().int().min(1024).max(65535);

export const ApiSettings = z
  .object({
    image: ImageRef,
    ...Scaling,
    resources: Resources.default(Api.defaults.resources),
    port: Port.default(Api.defaults.port),
    env: EnvValues,
  })
  .strict();

export const WorkerSettings = z
  .object({
    image: ImageRef,
    ...Scaling,
    resources: Resources.default(Worker.defaults.resources),
    env: EnvValues,
  })
  .strict();

export const Offsite = z
  .object({
    image: ImageRef.describe("The uploader: an rclone image, e.g. docker.io/rclone/rclone."),
    bucket: formatted(S3_BUCKET).min(3).describe("Bucket the dumps are copied to; it must exist."),
    endpoint: z.url({ protocol: /^https$/, message: "expected the https:// URL of the S3 endpoint" }).describe("S3 endpoint, e.g. https://s3.eu-central-1.amazonaws.com."),
    cidrs: z.array(z.string()).min(1).describe("Networks the endpoint's addresses are in: the backup pod's only way out besides the database."),
    region: z.string().min(1).optional().describe("The bucket's region, where the endpoint needs one. @default none"),
    prefix: z.string().min(1).optional().describe("Folder in the bucket. @default <namespace>/<database name>"),
  })
  .strict()
  .describe("Copy each dump to S3-compatible storage, keys from the stack's Vault folder (<database>-backup-offsite: access-key-id, secret-access-key). Recommended in prod.");

export const Backup = z
  .object({
    schedule: CronSchedule.default(Database.defaults.backup.schedule),
    keep: z
      .number()
      .int()
      .min(1)
      .max(MAX_BACKUP_KEEP)
      .default(Database.defaults.backup.keep)
      .describe("How many dumps to keep on the backup volume; longer history belongs off-site."),
    storage: Storage.optional().describe("Volume for the dumps, at least the data volume's size. @default the data volume's size and storage class"),
    offsite: Offsite.optional(),
  })
  .strict();

export const DatabaseSettings = z
  .object({
    image: ImageRef,
    engine: z.enum(Object.keys(ENGINES) as [DatabaseEngine, ...DatabaseEngine[]]).default(Database.defaults.engine).describe("postgres or mongodb."),
    resources: Resources.default(Database.defaults.resources),
    storage: Storage.default(Database.defaults.storage),
    backup: z
      .union([Backup, z.literal(false)])
      .prefault({})
      .describe("Daily dump (pg_dump, mongodump) to its own volume; false turns it off (refused where policy.requireBackups is on)."),
    databaseName: DnsLabel.default(Database.defaults.databaseName)
      .describe("The application's database, and the role that owns it."),
  })
  .strict();

export const CacheSettings = z
  .object({
    image: ImageRef,
    resources: Resources.default(Cache.defaults.resources),
    persistence: z
      .union([Storage, z.literal(false)])
      .default(Cache.defaults.persistence)
      .describe("An append-only-file volume; false keeps the cache in memory only."),
    maxmemory: z.string().regex(/^[0-9]+(mb|gb)$/, { message: "expected a size such as 100mb" }).default(Cache.defaults.maxmemory),
    maxmemoryPolicy: z
      .enum(["noeviction", "allkeys-lru", "allkeys-lfu", "volatile-lru", "volatile-lfu", "allkeys-random", "volatile-random", "volatile-ttl"])
      .default(Cache.defaults.maxmemoryPolicy),
  })
  .strict();

export const ProxySettings = z
  .object({
    image: ImageRef,
    ...Scaling,
    resources: Resources.default(Proxy.defaults.resources),
    clientMaxBodySize: formatted(NGINX_SIZE).default(DEFAULT_CLIENT_MAX_BODY_SIZE),
    upstreamTimeoutSeconds: z.number().int().min(1).max(3600).default(DEFAULT_UPSTREAM_TIMEOUT_SECONDS),
  })
  .strict();

export const FrontendSettings = z
  .object({
    image: ImageRef,
    ...Scaling,
    resources: Resources.default(Frontend.defaults.resources),
    mode: z
      .enum(["static", "ssr"])
      .default(Frontend.defaults.mode)
      .describe("static: an SPA served by unprivileged nginx; ssr: a Node server (e.g. Remix)."),
    port: Port.optional().describe(`Port the server listens on. @default ${Frontend.defaults.static.port} (static), ${Frontend.defaults.ssr.port} (ssr)`),
    env: EnvValues.describe("Environment variables of an ssr server (a static site bakes its settings in at build time)."),
  })
  .strict();

/** An IPv4 or IPv6 network, e.g. 203.0.113.0/24: what NetworkPolicies match outside the cluster. */
const Cidr = z
  .string()
  .refine((v) => z.cidrv4().safeParse(v).success || z.cidrv6().safeParse(v).success, { message: "expected an IPv4 or IPv6 CIDR such as 203.0.113.0/24" });

export const MessageQueueSettings = z
  .object({
    image: ImageRef,
    resources: Resources.default(MessageQueue.defaults.resources),
    storage: Storage.default(MessageQueue.defaults.storage),
    user: DnsLabel.default(MessageQueue.defaults.user).describe("The user clients connect as, created with the password from the secret store on the node's first boot."),
  })
  .strict();

export const CertificateSettings = z
  .object({
    issuer: z
      .object({ kind: z.enum(["ClusterIssuer", "Issuer"]).default("ClusterIssuer"), name: DnsSubdomain })
      .strict()
      .describe("The cert-manager issuer that signs it (e.g. a Vault PKI ClusterIssuer)."),
    duration: formatted(GO_DURATION).default(Certificate.defaults.duration).describe("How long a certificate is valid."),
    renewBefore: formatted(GO_DURATION).default(Certificate.defaults.renewBefore).describe("How long before expiry it is renewed."),
  })
  .strict();

/** Something outside the cluster a component calls, by host name and the networks it resolves to. */
export const ExternalApiSettings = z
  .object({
    host: Hostname.describe("Host name the caller uses, given to it as <NAME>_HOST."),
    port: z.number().int().min(1).max(65535).default(443).describe("Port it is called on, given as <NAME>_PORT."),
    cidrs: z.array(Cidr).min(1).describe("Networks the host resolves to: the only addresses the caller may reach it at."),
  })
  .strict();

export const OidcSettings = z
  .object({
    image: ImageRef.describe("oauth2-proxy image (quay.io/oauth2-proxy/oauth2-proxy)."),
    issuerUrl: z.url({ protocol: /^https$/, message: "expected the issuer's https URL, e.g. https://login.example.com/realms/acme" }),
    clientId: z.string().min(1).describe("The client registered at the issuer for this gateway; its secret is client-secret in the stack's Vault folder."),
    issuerCidrs: z.array(Cidr).min(1).describe("Networks the issuer's host name resolves to: oauth2-proxy's only egress."),
    emailDomains: z.array(z.union([Hostname, z.literal("*")])).min(1).describe('Email domains whose users may sign in; ["*"] for any.'),
    allowedGroups: z.array(z.string().regex(/^[^,\s]+$/, { message: "expected a group name without commas or spaces" })).default([]).describe("Groups (the groups claim) whose members may sign in; empty: any."),
    resources: Resources.default(OAuth2Proxy.defaults.resources),
  })
  .strict()
  .describe("OpenID Connect sign-in through oauth2-proxy, in front of the proxy's routes.");
export const SearchIndexSettings = z
  .object({
    image: ImageRef,
    resources: Resources.default(SearchIndex.defaults.resources),
    storage: Storage.default(SearchIndex.defaults.storage),
    core: formatted(SOLR_CORE).default(SearchIndex.defaults.core).describe("The Solr core created on first start; clients' SOLR_URL points at it."),
    heap: formatted(JAVA_SIZE).default(SearchIndex.defaults.heap).describe("JVM heap (SOLR_HEAP), at most 75% of the memory limit."),
  })
  .strict();

export const JumpboxSettings = z
  .object({
    image: ImageRef.describe("A shell image with the operators' tools (psql, mongosh, curl…)."),
    resources: Resources.default(Jumpbox.defaults.resources),
    enabled: z
      .boolean()
      .optional()
      .describe("Run the jumpbox. @default false where policy.highAvailability is on (prod), true elsewhere"),
  })
  .strict();

/**
 * Whether a stack whose environment file has a `jumpbox:` runs it: as `enabled` says; where it is silent, not
 * where the environment demands high availability (prod) — a standing shell with database access is for
 * staging and demos — and yes elsewhere.
 */
export function jumpboxEnabled(settings: { readonly enabled?: boolean }, policy: { readonly highAvailability: boolean }): boolean {
  return settings.enabled ?? !policy.highAvailability;
}
