/**
 * The environment schema: what an `environments/<env>.yaml` file may say besides its stacks' own settings,
 * and the building blocks those settings are made of.
 *
 * Pure zod, no cdk8s: the Pulumi bootstrap and editors (through the exported JSON Schema) share it. Formats
 * come from lib/formats.ts, the one place every layer checks them against. Building blocks are plain zod
 * objects (no refinements), so a stack can `.extend()` them; checks across fields (replicas or autoscaling,
 * not both) run on the parsed file, in environments/index.ts.
 */
import { z } from "zod";
import { CRON_EXAMPLE, CRON_SCHEDULE, cronScheduleProblem } from "../lib/cron";
import {
  DNS_LABEL,
  DNS_SUBDOMAIN,
  ENV_VAR_NAME,
  HOSTNAME,
  IMAGE_DIGEST,
  IMAGE_REPOSITORY,
  IMAGE_TAG,
  QUANTITY,
  type Format,
} from "../lib/formats";

/** A string in `format`, with the format's own description as the message. */
export function formatted(format: Format): z.ZodString {
  const string = z.string().regex(format.pattern, { message: `expected ${format.expected}` });
  return format.maxLength === undefined ? string : string.max(format.maxLength);
}

export const DnsLabel = formatted(DNS_LABEL);
export const DnsSubdomain = formatted(DNS_SUBDOMAIN);
export const Quantity = formatted(QUANTITY);
export const Hostname = formatted(HOSTNAME);
/** A schedule Kubernetes accepts and that runs (`0 0 31 2 *` parses, but never runs): see lib/cron.ts. */
export const CronSchedule = z
  .string()
  .regex(CRON_SCHEDULE, { message: `expected ${CRON_EXAMPLE}` })
  .superRefine((schedule, ctx) => {
    const problem = CRON_SCHEDULE.test(schedule) ? cronScheduleProblem(schedule) : undefined;
    if (problem) ctx.addIssue({ code: "custom", message: `expected ${CRON_EXAMPLE}, got '${schedule}': ${problem}` });
  });

export const ImageRef = z
  .object({
    repository: formatted(IMAGE_REPOSITORY),
    tag: formatted(IMAGE_TAG).refine((tag) => tag.toLowerCase() !== "latest", { message: "expected a fixed tag; 'latest' moves under you" }),
    digest: formatted(IMAGE_DIGEST).optional().describe("Pins the image; required where policy.requireImageDigests is on (prod)."),
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
    targetCPUUtilizationPercentage: z.number().int().min(1).max(100).optional().describe("@default 75"),
  })
  .strict();
export type Autoscaling = z.infer<typeof Autoscaling>;

export const Storage = z
  .object({
    size: Quantity.describe("Size of the volume."),
    storageClassName: DnsSubdomain.optional().describe("Storage class. @default the cluster's default class"),
  })
  .strict();
export type Storage = z.infer<typeof Storage>;

/** Replicas or autoscaling bounds for a stateless workload; never both (checked on the parsed file). */
export const Scaling = {
  replicas: z.number().int().min(1).optional().describe("Fixed replica count. @default 1"),
  autoscaling: Autoscaling.optional().describe("HPA bounds; when set, the Deployment carries no replicas field."),
};

/** Plain, non-secret environment variables of a workload; secrets come from the stack's secret store. */
export const EnvValues = z
  .record(formatted(ENV_VAR_NAME), z.string())
  .optional()
  .describe("Plain, non-secret environment variables of the workload (its config). Secrets never go here.");

export const RateLimit = z
  .object({
    requestsPerSecond: z.number().int().min(1),
    burst: z.number().int().min(0).default(20),
  })
  .strict();

/** Where a stack's secrets live in Vault: the environment's defaults, overridden per stack. */
export const StackSecrets = z
  .object({
    role: z.string().min(1).optional().describe("Vault Kubernetes-auth role the stack's store logs in with. @default <stack>-<env>"),
    keyPrefix: z.string().min(1).optional().describe("Folder of the stack's secrets under the KV mount. @default <env>/<stack>"),
    path: z.string().min(1).optional().describe("KV v2 mount. @default the environment's secrets.path"),
    authMountPath: z.string().min(1).optional().describe("Mount of Vault's Kubernetes auth. @default the environment's secrets.authMountPath"),
    rotation: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe(
        "Bump to rotate the stack's passwords (Vault's current values, or newly generated ones) and roll the pods that use them; superuser passwords are never rotated this way (README, Password rotation). @default 0",
      ),
  })
  .strict();

export const Quota = z
  .object({
    cpu: Quantity.describe("Sum of CPU requests."),
    memory: Quantity.describe("Sum of memory requests, and of memory limits."),
    pods: z.number().int().min(1).describe("Pods at once."),
    storage: Quantity.optional().describe("Sum of every claim's storage. @default twice what the stack's volumes ask for"),
  })
  .strict()
  .describe("The namespace's ResourceQuota. @default twice what the stack's workloads ask for at their largest");

/** What every stack says, whatever it composes: extend it with the stack's components. */
export const StackBase = z
  .object({
    namespace: DnsLabel.describe("Namespace the stack is deployed to (free-form per env, e.g. openvault / ov-demo)."),
    hosts: z.array(Hostname).default([]).describe("Public host names served by the stack's ingress."),
    quota: Quota.optional(),
    secrets: StackSecrets.optional().describe("Where the stack's secrets live in Vault, where the environment's defaults do not fit."),
  })
  .strict();
export type StackBase = z.infer<typeof StackBase>;

export const SecretStore = z.discriminatedUnion("provider", [
  z
    .object({
      provider: z.literal("vault"),
      server: z.url({ message: "expected the Vault URL, e.g. https://vault.example.com" }),
      path: z.string().min(1).default("secret").describe("KV v2 mount path."),
      authMountPath: z.string().min(1).default("kubernetes"),
    })
    .strict()
    .describe("Vault, through a SecretStore per stack that logs in with the stack's own role (<stack>-<env> by default)."),
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
    className: DnsSubdomain.default("nginx"),
    controllerNamespace: DnsLabel.default("ingress-nginx").describe(
      "Namespace of the ingress controller pods, the only source allowed to reach the proxy (kube-system for k3s's Traefik).",
    ),
    tlsIssuer: z
      .object({ kind: z.enum(["ClusterIssuer", "Issuer"]).default("ClusterIssuer"), name: DnsSubdomain })
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
  .prefault({});
