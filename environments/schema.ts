/**
 * The environment schema: what an `environments/<env>.yaml` file may say besides its stacks' own settings,
 * and the building blocks those settings are made of.
 *
 * Pure zod, no cdk8s: the Pulumi bootstrap and editors (through the exported JSON Schema) share it. Formats
 * come from lib/formats.ts, the one place every layer checks them against. Building blocks are plain zod
 * objects (no refinements), so a stack can `.extend()` them; checks across fields (replicas or autoscaling,
 * not both) run on the parsed file, in environments/index.ts.
 */
import { isIP } from "node:net";
import { z } from "zod";
import { cpuRequestProblem, memoryProblem, REPLICAS, volumeSizeProblem } from "../lib/bounds";
import { CRON_SHAPE, cronProblem, timeZoneProblem, type CronReader } from "../lib/cron";
import {
  DNS_LABEL,
  DNS_SUBDOMAIN,
  ENV_VAR_NAME,
  HOSTNAME,
  IMAGE_DIGEST,
  IMAGE_REPOSITORY,
  IMAGE_TAG,
  QUANTITY,
  VAULT_PATH,
  type Format,
} from "../lib/formats";

/** A string in `format`, with the format's own description as the message. */
export function formatted(format: Format): z.ZodString {
  const string = z.string().regex(format.pattern, { message: `expected ${format.expected}` });
  return format.maxLength === undefined ? string : string.max(format.maxLength);
}

export const DnsLabel = formatted(DNS_LABEL);
export const DnsSubdomain = formatted(DNS_SUBDOMAIN);
/** A quantity as Kubernetes reads it: a string such as 250m or 512Mi, or a bare number (`cpu: 1`), kept as its string. */
export const Quantity = z.union([formatted(QUANTITY), z.number().transform(String)]).pipe(formatted(QUANTITY));
export const VaultPath = formatted(VAULT_PATH);

/**
 * A check reporting what `problem` finds in a string as the field's message. Non-fatal, as a failed regex is:
 * inside a union (`backup: {…} or false`) zod then reports this message, not "no shape matched".
 */
function problemCheck(problem: (value: string) => string | undefined) {
  return (ctx: z.core.ParsePayload<string>) => {
    const message = problem(ctx.value);
    if (message) ctx.issues.push({ code: "custom", message, input: ctx.value, continue: true });
  };
}
const checked = (problem: (value: string) => string | undefined) => z.string().check(problemCheck(problem));

const schedule = (reader: CronReader) => checked((value) => cronProblem(value, reader)).meta({ pattern: CRON_SHAPE[reader] });
/** When a Kubernetes CronJob runs: five cron fields or a macro such as @daily, that fires. */
export const CronSchedule = schedule("cronjob");
/** When an Argo CD sync window opens: five cron fields (no macros), that fire. */
export const SyncWindowSchedule = schedule("sync-window");
/** An IANA time zone Kubernetes and Argo CD resolve, spelt as the database spells it. */
export const TimeZone = checked(timeZoneProblem);

/** A quantity within its sane range (lib/bounds.ts says why each bound is where it is). */
const bounded = (problem: (quantity: string) => string | undefined) => Quantity.check(problemCheck(problem));
export const CpuRequest = bounded(cpuRequestProblem);
export const MemorySize = bounded(memoryProblem);
export const VolumeSize = bounded(volumeSizeProblem);
/** Pods of one workload. */
export const PodCount = z.number().int().min(REPLICAS.min).max(REPLICAS.max);

/** A public host name an Ingress serves; never an IP address, which an Ingress rule refuses. */
export const Hostname = formatted(HOSTNAME).check(
  problemCheck((host) => (isIP(host) ? `expected a DNS host name such as app.example.com, got '${host}' (an IP address: Ingress rules take DNS names only)` : undefined)),
);

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
    cpu: CpuRequest.describe("CPU request. No CPU limit is set: throttling hurts latency more than it protects."),
    memory: MemorySize.describe("Memory request; also the limit unless memoryLimit is set."),
    memoryLimit: MemorySize.optional().describe("Memory limit, at least the request. @default the memory request"),
  })
  .strict();
export type Resources = z.infer<typeof Resources>;

export const Autoscaling = z
  .object({
    minReplicas: PodCount,
    maxReplicas: PodCount,
    targetCPUUtilizationPercentage: z.number().int().min(1).max(100).optional().describe("@default 75"),
  })
  .strict();
export type Autoscaling = z.infer<typeof Autoscaling>;

export const Storage = z
  .object({
    size: VolumeSize.describe("Size of the volume."),
    storageClassName: DnsSubdomain.optional().describe("Storage class. @default the cluster's default class"),
  })
  .strict();
export type Storage = z.infer<typeof Storage>;

/** Replicas or autoscaling bounds for a stateless workload; never both (checked on the parsed file). */
export const Scaling = {
  replicas: PodCount.optional().describe("Fixed replica count. @default 1"),
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
    keyPrefix: VaultPath.optional().describe("Folder of the stack's secrets under the KV mount. @default <env>/<stack>"),
    path: VaultPath.optional().describe("KV v2 mount. @default the environment's secrets.path"),
    authMountPath: VaultPath.optional().describe("Mount of Vault's Kubernetes auth. @default the environment's secrets.authMountPath"),
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
      path: VaultPath.default("secret").describe("KV v2 mount path."),
      authMountPath: VaultPath.default("kubernetes"),
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
      .object({
        kind: z.enum(["ClusterIssuer", "Issuer"]).default("ClusterIssuer"),
        name: DnsSubdomain,
        solver: z
          .enum(["http01", "dns01", "none"])
          .default("http01")
          .describe(
            "How the issuer proves a host is ours: http01 (ACME over the host itself; no wildcard hosts), dns01 (ACME through a DNS record; wildcards too) or none (a CA or Vault issuer, no challenge).",
          ),
      })
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
