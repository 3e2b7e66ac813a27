/**
 * How an environment reaches Argo CD: the Git source its Applications point at, how they sync, what the
 * Argo CD UI shows about them, when syncs may run, who may operate them and whether pull requests get
 * previews.
 *
 * One Argo CD instance, on a management cluster, manages every environment's cluster: its objects live in
 * one namespace there, so every environment file must name the same `argocd.namespace`.
 *
 * Defaults are the safe choice: manual sync without retries, deletion protected, no resources finalizer. An environment that wants more (staging: automated sync) says so in its file.
 * Every behaviour relied on here is cited in docs/argocd.md against Argo CD 3.5.0, the minimum version.
 */
import { z } from "zod";
import { GO_DURATION } from "../lib/formats";
import { DnsLabel } from "./schema";

/** Five-field cron, as Argo CD's sync windows parse it (robfig/cron without descriptors such as @daily). */
export const CRON = /^(\S+\s+){4}\S+$/;
// A link name ends an annotation name (`link.argocd.argoproj.io/<name>`, at most 63): short and dashed.
const LINK_NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

export const Duration = z.string().regex(GO_DURATION.pattern, { message: `expected ${GO_DURATION.expected}` });

const Backoff = z
  .object({
    duration: Duration.default("5s").describe("Wait before the first retry."),
    factor: z.number().int().min(1).default(2).describe("Multiplies the wait after each retry."),
    maxDuration: Duration.default("3m").describe("Longest wait between retries."),
  })
  .strict();

/** An automated environment retries a failed sync five times, each time with the newest commit. */
export const AUTOMATED_RETRY = { limit: 5, backoff: Backoff.parse({}), refresh: true } as const;
/** A manual environment never retries: a retry reruns the migration hook the person did not ask for twice. */
export const MANUAL_RETRY = { limit: 0, backoff: Backoff.parse({}), refresh: false } as const;
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

export const Link = z
  .object({
    title: z
      .string()
      .min(1)
      .regex(/^[^|]+$/, { message: "expected a title without '|' (Argo CD splits title and URL at it)" })
      .describe("What the UI shows, e.g. 'Grafana: shop'."),
    url: Url.describe("Where it leads."),
  })
  .strict();
export type Link = z.infer<typeof Link>;

export const Links = z
  .record(
    z.string().regex(LINK_NAME, { message: "expected a short lower-case link name such as dashboard or runbook" }),
    z.union([Url, Link]),
  )
  .superRefine((links, ctx) => {
    for (const name of Object.keys(links).filter((n) => RESERVED_LINK_NAMES.includes(n))) {
      ctx.addIssue({ code: "custom", path: [name], message: `'${name}' is the generator's own link; choose another name` });
    }
  })
  // A bare URL is titled by its name, so the UI shows "runbook" rather than the URL.
  .transform((links) =>
    Object.fromEntries(Object.entries(links).map(([name, l]): [string, Link] => [name, typeof l === "string" ? { title: name, url: l } : l])),
  )
  .describe("Links shown on the Application in the Argo CD UI, by name: a URL, or {title, url}.");

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
    limit: z.number().int().min(0).describe("Attempts after a failed sync; 0 never retries. At most 1 without automated sync."),
    backoff: Backoff.prefault({}).describe("Exponential back-off between retries."),
    refresh: z
      .boolean()
      .optional()
      .describe("Retry with the newest commit rather than the failed one. @default true with automated sync; refused without it"),
  })
  .strict()
  .describe(
    "Retry of a failed sync. @default 5 retries with refresh where sync is automated, none where a person syncs",
  );
export type Retry = z.infer<typeof Retry>;
/** A retry as rendered: every field resolved. */
export type ResolvedRetry = Retry & { readonly refresh: boolean };

export const SyncWindow = z
  .object({
    kind: z.enum(["allow", "deny"]).describe("deny blocks syncs while open (a freeze); allow permits them only then."),
    schedule: z
      .string()
      .regex(CRON, { message: "expected a five-field cron schedule such as '0 16 * * 5'" })
      .describe("When the window opens."),
    duration: Duration.describe("How long it stays open, e.g. 64h for Friday 16:00 to Monday 08:00."),
    timeZone: z.string().min(1).default("UTC").describe("IANA time zone of the schedule, e.g. Europe/Berlin."),
    manualSync: z
      .boolean()
      .default(false)
      .describe("Let a person sync by hand while a deny window is open (the emergency path: docs/argocd.md)."),
    overrun: z
      .boolean()
      .default(true)
      .describe(
        "Let a sync that started before a deny window (or inside an allow window) finish; off, Argo CD parks it mid-way until the window closes.",
      ),
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

export const StackArgoCdSettings = z
  .object({
    links: Links.optional().describe("Links of this stack, merged over argocd.links (dashboards, runbook)."),
  })
  .strict();
export type StackArgoCdSettings = z.infer<typeof StackArgoCdSettings>;

/** Pull-request previews: the generator reads the repository's pull requests from GitHub. */
export const Previews = z
  .object({
    github: z
      .object({
        owner: z.string().min(1).describe("Organisation or user owning the repository."),
        repo: z.string().min(1).describe("The repository's name."),
      })
      .strict()
      .describe("The GitHub repository whose pull requests get previews (this one)."),
    labels: z
      .array(z.string().min(1))
      .default(["preview"])
      .describe("Only pull requests carrying all these labels get a preview (an empty list: every pull request)."),
    host: z
      .string()
      .regex(/^(?=[^.]*\{number\})([-a-z0-9]|\{number\}|\{stack\})+(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/, {
        message: "expected a host template whose first label holds {number} (and {stack}), such as {stack}-{number}.preview.example.com",
      })
      .describe("Public host of a preview: {number} is the pull request's number, {stack} the stack's name."),
    tokenRef: z
      .object({
        secretName: DnsLabel.describe("Secret in Argo CD's namespace."),
        key: z.string().min(1).describe("Key of the token in it."),
      })
      .strict()
      .optional()
      .describe("API token for private repositories and higher rate limits. @default none (public repository)"),
    requeueAfterSeconds: z
      .number()
      .int()
      .min(30)
      .default(300)
      .describe("How often the generator looks for opened and closed pull requests."),
  })
  .strict()
  .describe(
    "A preview of each stack per open pull request, in its own namespace, removed when the pull request closes (docs/argocd.md).",
  );
export type Previews = z.infer<typeof Previews>;

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
    automated: Automated.optional(),
    serverSideApply: z.boolean().default(false).describe("Apply server-side (objects too large for client-side apply)."),
    retry: Retry.optional(),
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
    deletionProtection: z
      .boolean()
      .default(true)
      .describe(
        "The env's role may not delete its Applications, and a cascading delete waits for a person to confirm it (Delete=confirm).",
      ),
    groups: z
      .array(z.string().min(1).regex(/^[^,"\n\r\t]+$/, { message: "expected an SSO group name without ',', quotes or line breaks" }))
      .default([])
      .describe("SSO groups that operate this environment in the Argo CD UI: its role in each of its projects."),
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
    previews: Previews.optional(),
    stacks: z
      .record(DnsLabel, StackArgoCdSettings)
      .default({})
      .describe("Per-stack settings, by the stack's name under stacks:."),
  })
  .strict()
  .superRefine((settings, ctx) => {
    if (settings.automated || settings.retry === undefined) return;
    if (settings.retry.limit > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["retry", "limit"],
        message: `expected 0 or 1 without automated sync (a retry reruns the migration hook), got ${settings.retry.limit}`,
      });
    }
    if (settings.retry.refresh) {
      ctx.addIssue({
        code: "custom",
        path: ["retry", "refresh"],
        message: "expected false without automated sync: a retry would sync a newer commit than the one a person chose",
      });
    }
  })
  .transform(({ retry, ...settings }) => ({
    ...settings,
    retry: resolveRetry(retry, settings.automated !== undefined),
  }));
export type ArgoCdSettings = z.infer<typeof ArgoCdSettings>;

function resolveRetry(retry: Retry | undefined, automated: boolean): ResolvedRetry {
  if (retry === undefined) return automated ? AUTOMATED_RETRY : MANUAL_RETRY;
  return { ...retry, refresh: retry.refresh ?? automated };
}

