/**
 * How an environment reaches Argo CD: the Git source its Applications point at, how they sync, what the
 * Argo CD UI shows about them and when syncs may run.
 *
 * One Argo CD instance, on a management cluster, manages every environment's cluster: its objects live in
 * one namespace there, so every environment file must name the same `argocd.namespace`.
 *
 * Defaults are the safe choice: manual sync, no resources finalizer, no namespace creation. An environment
 * that wants more (staging: automated sync) says so in its file.
 */
import { z } from "zod";
import { DnsLabel, SyncWindowSchedule, TimeZone } from "./schema";

/** Go duration, as Argo CD parses sync windows and retry back-offs. */
export const DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$/;
/** Five-field cron: minute hour day-of-month month day-of-week. */
export const CRON = /^(\S+\s+){4}\S+$/;
// A link name ends an annotation name (`link.argocd.argoproj.io/<name>`, at most 63): short and dashed.
const LINK_NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

export const Duration = z.string().regex(DURATION, { message: "expected a duration such as 30s, 5m or 1h30m" });

/** Retry of a failed sync, with exponential back-off. Argo CD's own default is no retry at all. */
export const DEFAULT_RETRY = { limit: 5, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } } as const;
/** Argo CD's own default: the last 10 syncs can be rolled back to. */
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;
export const DEFAULT_ARGOCD_NAMESPACE = "argocd";

/** The triggers of Argo CD's notifications catalog; a typo here would silently never fire. */
export const NOTIFICATION_TRIGGERS = [
  "on-created",
  "on-deleted",
  "on-deployed",
  "on-health-degraded",
  "on-sync-failed",
  "on-sync-running",
  "on-sync-status-unknown",
  "on-sync-succeeded",
] as const;

/** Link names the generator gives its own links (the stack's public URL, its folder in the repository). */
export const PUBLIC_URL_LINK = "public-url";
export const REPO_FOLDER_LINK = "repo-folder";
export const RESERVED_LINK_NAMES: readonly string[] = [PUBLIC_URL_LINK, REPO_FOLDER_LINK];

const Url = z.url({ protocol: /^https?$/, message: "expected an http(s) URL such as https://grafana.example.com/d/shop" });

export const Links = z
  .record(
    z.string().regex(LINK_NAME, { message: "expected a short lower-case link name such as dashboard or runbook" }),
    Url,
  )
  .superRefine((links, ctx) => {
    for (const name of Object.keys(links).filter((n) => RESERVED_LINK_NAMES.includes(n))) {
      ctx.addIssue({ code: "custom", path: [name], message: `'${name}' is the generator's own link; choose another name` });
    }
  })
  .describe("Links shown on the Application in the Argo CD UI, by name: e.g. dashboard, runbook.");

export const Automated = z
  .object({
    prune: z.boolean().default(true).describe("Delete what left Git (volumes are kept: they carry Prune=false)."),
    selfHeal: z.boolean().default(true).describe("Revert changes made in the cluster by hand."),
  })
  .strict()
  .describe("Automated sync. Leave it out to wait for a person to press Sync (the default, and prod's).");
export type Automated = z.infer<typeof Automated>;

export const Retry = z
  .object({
    limit: z.number().int().min(0).default(DEFAULT_RETRY.limit).describe("Attempts after a failed sync; 0 never retries."),
    backoff: z
      .object({
        duration: Duration.default(DEFAULT_RETRY.backoff.duration).describe("Wait before the first retry."),
        factor: z.number().int().min(1).default(DEFAULT_RETRY.backoff.factor).describe("Multiplies the wait after each retry."),
        maxDuration: Duration.default(DEFAULT_RETRY.backoff.maxDuration).describe("Longest wait between retries."),
      })
      .strict()
      .prefault({})
      .describe("Exponential back-off between retries."),
  })
  .strict()
  .prefault({})
  .describe("Retry of a failed sync with exponential back-off.");
export type Retry = z.infer<typeof Retry>;

export const SyncWindow = z
  .object({
    kind: z.enum(["allow", "deny"]).describe("deny blocks syncs while open (a freeze); allow permits them only then."),
    schedule: SyncWindowSchedule.describe("When the window opens."),
    duration: Duration.describe("How long it stays open, e.g. 64h for Friday 16:00 to Monday 08:00."),
    timeZone: TimeZone.default("UTC").describe("IANA time zone of the schedule, e.g. Europe/Berlin."),
    manualSync: z
      .boolean()
      .default(false)
      .describe("Let a person sync by hand while a deny window is open (an emergency fix)."),
    description: z.string().min(1).optional().describe("Shown in the Argo CD UI, e.g. 'weekend freeze'."),
  })
  .strict();
export type SyncWindow = z.infer<typeof SyncWindow>;

export const Notification = z
  .object({
    trigger: z.enum(NOTIFICATION_TRIGGERS).describe("A trigger of the Argo CD notifications catalog."),
    service: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: "expected a notification service name such as slack" })
      .describe("A service configured in argocd-notifications-cm, e.g. slack, teams, email."),
    recipients: z
      .array(z.string().regex(/^[^;\s]+$/, { message: "expected one recipient (a channel or address), without ';' or spaces" }))
      .min(1)
      .describe("Channels or addresses of that service."),
  })
  .strict();
export type Notification = z.infer<typeof Notification>;

export const ClusterResource = z
  .object({
    group: z.string().describe("API group; '' for the core group."),
    kind: z
      .string()
      .regex(/^[A-Z][A-Za-z0-9]*$/, { message: "expected a Kind such as ClusterRole" })
      .describe("Kind, e.g. ClusterRole."),
    name: z.string().min(1).optional().describe("Only objects of this name (a glob). @default every object of the kind"),
  })
  .strict();
export type ClusterResource = z.infer<typeof ClusterResource>;

export const StackArgoCdSettings = z
  .object({
    project: DnsLabel.optional().describe(
      "AppProject the stack's Application joins; give several stacks one name for a per-team project. @default the stack's name",
    ),
    links: Links.optional().describe("Links of this stack, merged over argocd.links (dashboards, runbook)."),
    clusterResources: z
      .array(ClusterResource)
      .default([])
      .describe("Cluster-scoped kinds the stack renders; its AppProject allows these and nothing else."),
  })
  .strict();
export type StackArgoCdSettings = z.infer<typeof StackArgoCdSettings>;

export const ArgoCdSettings = z
  .object({
    repoURL: z
      .url({ message: "expected the Git URL of this repository, e.g. https://github.com/acme/slipway.git" })
      .describe("Git URL of this repository, which Argo CD reads dist/ from."),
    targetRevision: z.string().min(1).default("main").describe("Branch, tag or commit Argo CD syncs from."),
    namespace: DnsLabel.default(DEFAULT_ARGOCD_NAMESPACE).describe(
      "Namespace of Argo CD on the management cluster; every environment must name the same one.",
    ),
    clusterRef: z
      .enum(["server", "name"])
      .default("server")
      .describe("Name the env's cluster to Argo CD by cluster.server (its API URL) or by cluster.name (as registered)."),
    delivery: z
      .enum(["applications", "applicationSet"])
      .default("applications")
      .describe("One Application per stack, or one ApplicationSet fanning out over the env's stacks (docs/argocd.md)."),
    applicationSet: DnsLabel.optional().describe(
      "With delivery: applicationSet, the ApplicationSet's name; environments naming the same one share it (one template fanned out over their clusters). @default stacks-<env>",
    ),
    source: z
      .enum(["kustomize", "directory"])
      .default("kustomize")
      .describe("Read dist/<env>/<stack> through its kustomization.yaml, or as a plain folder of manifests."),
    createNamespace: z
      .boolean()
      .default(false)
      .describe("The env owns its stacks' namespaces: Argo CD creates them (CreateNamespace=true)."),
    automated: Automated.optional(),
    serverSideApply: z.boolean().default(false).describe("Apply server-side (objects too large for client-side apply)."),
    retry: Retry,
    revisionHistoryLimit: z
      .number()
      .int()
      .min(0)
      .default(DEFAULT_REVISION_HISTORY_LIMIT)
      .describe("Past syncs kept for rollback."),
    finalizer: z
      .boolean()
      .default(false)
      .describe("Deleting an Application also deletes its resources (volumes excepted). Never on prod by default."),
    syncWindows: z.array(SyncWindow).default([]).describe("When syncs may run, e.g. a prod weekend freeze."),
    links: Links.default({}),
    browseURL: z
      .string()
      .regex(/^https?:\/\/\S*\{path\}\S*$/, { message: "expected an http(s) URL template containing {path}" })
      .optional()
      .describe(
        "Web page of a repository folder, with {revision} and {path}. @default derived for github.com, gitlab.com and bitbucket.org",
      ),
    notifications: z
      .array(Notification)
      .default([])
      .superRefine((subscriptions, ctx) => {
        const seen = new Map<string, number>();
        subscriptions.forEach((s, i) => {
          const key = `${s.trigger} via ${s.service}`;
          const first = seen.get(key);
          if (first === undefined) seen.set(key, i);
          else {
            ctx.addIssue({
              code: "custom",
              path: [i],
              message: `duplicate of [${first}] (${key}); list every recipient in one entry`,
            });
          }
        });
      })
      .describe("Argo CD notifications subscriptions of the env's Applications."),
    stacks: z
      .record(DnsLabel, StackArgoCdSettings)
      .default({})
      .describe("Per-stack settings, by the stack's name under stacks:."),
  })
  .strict();
export type ArgoCdSettings = z.infer<typeof ArgoCdSettings>;
