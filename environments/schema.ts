/**
 * The environment schema: what an `environments/<env>.yaml` file may say.
 *
 * Pure zod, no cdk8s: the Pulumi bootstrap and editors (through the exported JSON Schema) share it.
 * Every default lives here, once; an environment file holds only what differs.
 */
import { z } from "zod";
import { CRON_SCHEDULE } from "../lib/cron";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
// Registry host (optional port) and slash-separated path components, as the distribution spec allows.
const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(\.[a-z0-9]+([._-][a-z0-9]+)*)*(:[0-9]+)?(\/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

export const DnsLabel = z
  .string()
  .max(63)
  .regex(DNS_LABEL, { message: "expected a DNS label (lower-case letters, digits and '-', at most 63)" });

export const Quantity = z
  .string()
  .regex(QUANTITY, { message: "expected a Kubernetes quantity such as 250m, 512Mi or 10Gi" });

export const ImageRef = z
  .object({
    repository: z.string().regex(REPOSITORY, { message: "expected an image repository such as ghcr.io/acme/api" }),
    tag: z
      .string()
      .regex(TAG, { message: "expected an image tag such as 1.4.2" })
      .refine((tag) => tag !== "latest", { message: "expected a fixed tag; 'latest' moves under you" }),
    digest: z
      .string()
      .regex(DIGEST, { message: "expected a digest such as sha256:<64 hex characters>" })
      .optional()
      .describe("Pins the image; required where policy.requireImageDigests is on (prod)."),
  })
  .strict()
  .describe("An image, kept as data so promotion pull requests and Renovate can edit it.");
export type ImageRef = z.infer<typeof ImageRef>;

export const Resources = z
  .object({
    cpu: Quantity.describe("CPU request. No CPU limit is set: throttling hurts latency more than it protects."),
    memory: Quantity.describe("Memory request; also the limit unless memoryLimit is set."),
    memoryLimit: Quantity.optional().describe("Memory limit. @default the memory request"),
  })
  .strict();
export type Resources = z.infer<typeof Resources>;

export const Autoscaling = z
  .object({
    minReplicas: z.number().int().min(1),
    maxReplicas: z.number().int().min(1),
    targetCPUUtilizationPercentage: z.number().int().min(1).max(100).default(75),
  })
  .strict()
  .refine((a) => a.minReplicas <= a.maxReplicas, {
    message: "expected minReplicas ≤ maxReplicas",
    path: ["maxReplicas"],
  });
export type Autoscaling = z.infer<typeof Autoscaling>;

export const Storage = z
  .object({
    size: Quantity.describe("Size of the volume."),
    storageClassName: z.string().optional().describe("Storage class. @default the cluster's default class"),
  })
  .strict();
export type Storage = z.infer<typeof Storage>;

/** Replicas or autoscaling bounds for a stateless workload; never both (checked by `oneScalingMode`). */
const scaled = {
  replicas: z.number().int().min(1).optional().describe("Fixed replica count. @default 1"),
  autoscaling: Autoscaling.optional().describe("HPA bounds; when set, the Deployment carries no replicas field."),
};
const oneScalingMode = (s: { replicas?: number; autoscaling?: unknown }, ctx: z.RefinementCtx) => {
  if (s.replicas !== undefined && s.autoscaling !== undefined) {
    ctx.addIssue({ code: "custom", path: ["replicas"], message: "expected either replicas or autoscaling, not both" });
  }
};

const ConfigValues = z
  .record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { message: "expected an environment variable name" }), z.string())
  .default({})
  .describe("Plain, non-secret settings rendered into the workload's ConfigMap.");

export const ApiSettings = z
  .object({
    image: ImageRef,
    ...scaled,
    resources: Resources.default({ cpu: "100m", memory: "256Mi" }),
    port: z.number().int().min(1024).max(65535).default(8000),
    config: ConfigValues,
    migrations: z
      .union([
        z.object({ command: z.array(z.string().min(1)).min(1) }).strict(),
        z.literal(false),
      ])
      .default({ command: ["alembic", "upgrade", "head"] })
      .describe(
        "The schema migration Job, run by Argo CD before the API rolls out (e.g. command: [python, manage.py, migrate] for Django); false turns it off.",
      ),
  })
  .strict()
  .superRefine(oneScalingMode);

export const Backup = z
  .object({
    schedule: z.string().regex(CRON_SCHEDULE, { message: "expected a cron schedule such as '0 3 * * *' or @daily" }).default("0 3 * * *"),
    keep: z.number().int().min(1).default(7).describe("How many daily dumps to keep."),
    storage: Storage.default({ size: "10Gi" }),
  })
  .strict();

export const DatabaseSettings = z
  .object({
    image: ImageRef,
    resources: Resources.default({ cpu: "250m", memory: "512Mi" }),
    storage: Storage.default({ size: "10Gi" }),
    backup: z
      .union([Backup, z.literal(false)])
      .default(Backup.parse({}))
      .describe("Daily pg_dump to its own volume; false turns it off (refused where policy.requireBackups is on)."),
    databaseName: DnsLabel.default("app"),
  })
  .strict();

export const CacheSettings = z
  .object({
    image: ImageRef,
    resources: Resources.default({ cpu: "50m", memory: "128Mi" }),
    persistence: z
      .union([Storage, z.literal(false)])
      .default(false)
      .describe("An append-only-file volume; false keeps the cache in memory only."),
    maxmemory: z.string().regex(/^[0-9]+(mb|gb)$/, { message: "expected a size such as 100mb" }).default("100mb"),
    maxmemoryPolicy: z
      .enum(["noeviction", "allkeys-lru", "allkeys-lfu", "volatile-lru", "volatile-lfu", "allkeys-random", "volatile-random", "volatile-ttl"])
      .default("allkeys-lru"),
  })
  .strict();

export const RateLimit = z
  .object({
    requestsPerSecond: z.number().int().min(1),
    burst: z.number().int().min(0).default(20),
  })
  .strict();

export const ProxySettings = z
  .object({
    image: ImageRef,
    ...scaled,
    resources: Resources.default({ cpu: "50m", memory: "64Mi" }),
    clientMaxBodySize: z.string().regex(/^[0-9]+[km]?$/, { message: "expected an nginx size such as 10m" }).default("10m"),
    upstreamTimeoutSeconds: z.number().int().min(1).max(3600).default(60),
    apiRateLimit: RateLimit.optional().describe("Per-client-IP rate limit on /api. @default no limit"),
  })
  .strict()
  .superRefine(oneScalingMode);

export const FrontendSettings = z
  .object({
    image: ImageRef,
    ...scaled,
    resources: Resources.default({ cpu: "50m", memory: "128Mi" }),
    mode: z
      .enum(["static", "ssr"])
      .default("static")
      .describe("static: an SPA served by unprivileged nginx; ssr: a Node server (e.g. Remix)."),
    port: z.number().int().min(1024).max(65535).default(8080),
    config: ConfigValues,
  })
  .strict()
  .superRefine(oneScalingMode);

/** What every stack says, whatever it composes. */
export const StackBase = {
  namespace: DnsLabel.describe("Namespace the stack is deployed to (free-form per env, e.g. openvault / ov-demo)."),
  hosts: z
    .array(z.string().regex(HOSTNAME, { message: "expected a DNS host name such as app.example.com" }))
    .min(1)
    .describe("Public host names served by the stack's ingress."),
};

export const SecretStore = z.discriminatedUnion("provider", [
  z
    .object({
      provider: z.literal("vault"),
      server: z.url({ message: "expected the Vault URL, e.g. https://vault.example.com" }),
      path: z.string().min(1).default("secret").describe("KV v2 mount path."),
      role: z.string().min(1).describe("Vault Kubernetes-auth role the stack's store logs in with."),
      authMountPath: z.string().min(1).default("kubernetes"),
    })
    .strict(),
  z
    .object({ provider: z.literal("generator") })
    .strict()
    .describe("External Secrets' Password generator: random values, for dev clusters without a vault."),
]);
export type SecretStore = z.infer<typeof SecretStore>;

export const Cluster = z
  .object({
    name: z.string().min(1).describe("Cluster name as registered in Argo CD."),
    server: z.url({ message: "expected the API server URL, e.g. https://kubernetes.default.svc" }),
  })
  .strict();

export const Ingress = z
  .object({
    className: z.string().min(1).default("nginx"),
    controllerNamespace: DnsLabel.default("ingress-nginx").describe(
      "Namespace of the ingress controller pods, the only source allowed to reach the proxy (kube-system for k3s's Traefik).",
    ),
    tlsIssuer: z
      .object({ kind: z.enum(["ClusterIssuer", "Issuer"]).default("ClusterIssuer"), name: z.string().min(1) })
      .strict(),
  })
  .strict();

export const Policy = z
  .object({
    requireImageDigests: z.boolean().default(false).describe("Every image must carry a digest (prod)."),
    highAvailability: z
      .boolean()
      .default(false)
      .describe("Stateless workloads need ≥2 pods, a PDB and topology spread (prod)."),
    requireBackups: z.boolean().default(false).describe("Every database must have backups on (prod)."),
  })
  .strict()
  .default({ requireImageDigests: false, highAvailability: false, requireBackups: false });
