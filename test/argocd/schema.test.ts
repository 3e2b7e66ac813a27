import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ArgoCdSettings } from "../../environments/argocd";
import { ConfigError, loadEnvironments, parseEnvironment } from "../../environments/index";
import { stackSettings } from "../support/stacks";
import { FIXTURES } from "./support/argo";

const FILE = "environments/prod.yaml";

/** The prod fixture with its argocd section replaced by `section`. */
function prodWith(section: string): string {
  const text = readFileSync(join(FIXTURES, "prod.yaml"), "utf8");
  return text.replace(/^argocd:\n(?: {2}.*\n)*/m, section);
}

/** `line:col` (1-based) of `needle` in `text`, as the error messages locate a value. */
function where(text: string, needle: string): string {
  const before = text.slice(0, text.indexOf(needle)).split("\n");
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** The problems reported, sorted: their order is the formatter's business, their text is ours. */
function problems(text: string): string[] {
  try {
    parseEnvironment(FILE, text, stackSettings);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems].sort();
    throw e;
  }
  throw new Error("expected a ConfigError");
}

const expected = (messages: string[]) => [...messages].sort();

describe("environment schema: argocd", () => {
  test("an environment that names only its repository gets the safe defaults", () => {
    expect(ArgoCdSettings.parse({ repoURL: "https://github.com/acme/slipway.git" })).toEqual({
      repoURL: "https://github.com/acme/slipway.git",
      targetRevision: "main",
      namespace: "argocd",
      clusterRef: "server",
      delivery: "applications",
      source: "kustomize",
      serverSideApply: false,
      retry: { limit: 0, refresh: false, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } },
      revisionHistoryLimit: 10,
      finalizer: false,
      deletionProtection: true,
      groups: [],
      syncWindows: [],
      links: {},
      notifications: [],
      stacks: {},
    });
  });

  test("automated sync prunes, self-heals and retries five times with the newest commit unless told otherwise", () => {
    const settings = ArgoCdSettings.parse({ repoURL: "https://github.com/acme/slipway.git", automated: {} });
    expect(settings.automated).toEqual({ prune: true, selfHeal: true });
    expect(settings.retry).toEqual({ limit: 5, refresh: true, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } });
    const own = ArgoCdSettings.parse({ repoURL: "https://github.com/acme/slipway.git", automated: {}, retry: { limit: 2 } });
    expect(own.retry).toEqual({ limit: 2, refresh: true, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } });
  });

  test("a sync window opens in UTC, blocks manual syncs too and lets a started sync finish, unless it says otherwise", () => {
    const window = { kind: "deny", schedule: "0 16 * * 5", duration: "64h" };
    const settings = ArgoCdSettings.parse({ repoURL: "https://github.com/acme/slipway.git", syncWindows: [window] });
    expect(settings.syncWindows).toEqual([{ ...window, timeZone: "UTC", manualSync: false, overrun: true }]);
  });

  test("a link is a URL, titled by its name, or a title and a URL", () => {
    const settings = ArgoCdSettings.parse({
      repoURL: "https://github.com/acme/slipway.git",
      links: { runbook: "https://runbooks.example.com/shop", dashboard: { title: "Grafana: shop", url: "https://grafana.example.com/d/shop" } },
    });
    expect(settings.links).toEqual({
      runbook: { title: "runbook", url: "https://runbooks.example.com/shop" },
      dashboard: { title: "Grafana: shop", url: "https://grafana.example.com/d/shop" },
    });
  });

  test("the repository's environment files load with the argocd section", () => {
    const envs = loadEnvironments(join(__dirname, "../../environments"), stackSettings);
    expect(envs.map((e) => [e.name, e.data.argocd.namespace, e.data.argocd.repoURL])).toEqual(
      envs.map((e) => [e.name, "argocd", "https://github.com/acme/slipway.git"]),
    );
  });

  test("every field is described, for editors and docs", () => {
    const undescribed: string[] = [];
    const walk = (node: Record<string, unknown>, path: string) => {
      for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (!child.description) undescribed.push(`${path}.${key}`);
        walk(child, `${path}.${key}`);
      }
      if (node.items) walk(node.items as Record<string, unknown>, `${path}[]`);
      if (typeof node.additionalProperties === "object") walk(node.additionalProperties as Record<string, unknown>, `${path}.*`);
      for (const alternative of (node.anyOf ?? []) as Record<string, unknown>[]) walk(alternative, path);
    };
    walk(z.toJSONSchema(ArgoCdSettings, { io: "input", unrepresentable: "any" }) as Record<string, unknown>, "argocd");
    expect(undescribed).toEqual([]);
  });

  test("reports a wrong duration, an unknown trigger and a misspelt key with file, line and field", () => {
    const text = prodWith(`argocd:
  repoURL: https://github.com/acme/slipway.git
  automatd: {}
  syncWindows:
    - { kind: deny, schedule: "0 16 * * 5", duration: 2 days }
  notifications:
    - { trigger: on-sync-fail, service: slack, recipients: [shop-alerts] }
`);
    expect(problems(text)).toEqual(expected([
      `${FILE}:${where(text, "automatd")}: argocd.automatd: unknown key; did you mean 'automated'?`,
      `${FILE}:${where(text, "2 days")}: argocd.syncWindows[0].duration: expected a duration such as 30s, 5m or 1h30m, got '2 days'`,
      `${FILE}:${where(text, "on-sync-fail")}: argocd.notifications[0].trigger: expected one of 'on-created', 'on-deleted', 'on-deployed', 'on-health-degraded', 'on-sync-failed', 'on-sync-running', 'on-sync-status-unknown', 'on-sync-succeeded', got 'on-sync-fail'`,
    ]));
  });

  test("refuses a second subscription to one trigger and service, and a link named like the generator's own", () => {
    const text = prodWith(`argocd:
  repoURL: https://github.com/acme/slipway.git
  links:
    public-url: https://shop.example.com
  notifications:
    - { trigger: on-sync-failed, service: slack, recipients: [shop-alerts] }
    - { trigger: on-sync-failed, service: slack, recipients: [sre-oncall] }
`);
    expect(problems(text)).toEqual(expected([
      `${FILE}:${where(text, "https://shop.example.com")}: argocd.links.public-url: 'public-url' is the generator's own link; choose another name`,
      `${FILE}:${where(text, "{ trigger: on-sync-failed, service: slack, recipients: [sre")}: argocd.notifications[1]: duplicate of [0] (on-sync-failed via slack); list every recipient in one entry`,
    ]));
  });

  test("refuses a link that is not an http(s) URL and a browse URL without {path}", () => {
    const text = prodWith(`argocd:
  repoURL: https://github.com/acme/slipway.git
  browseURL: https://git.example.com/acme/slipway
  links:
    runbook: ftp://runbooks.example.com/shop
`);
    expect(problems(text)).toEqual(expected([
      `${FILE}:${where(text, "https://git.example.com")}: argocd.browseURL: expected an http(s) URL template containing {path}, got 'https://git.example.com/acme/slipway'`,
      `${FILE}:${where(text, "ftp://")}: argocd.links.runbook: expected an http(s) URL such as https://grafana.example.com/d/shop, got 'ftp://runbooks.example.com/shop'`,
    ]));
  });
  test("a manual environment retries at most once, and never with a newer commit than the one a person chose", () => {
    const text = prodWith(`argocd:
  repoURL: https://github.com/acme/slipway.git
  retry: { limit: 3, refresh: true }
`);
    expect(problems(text)).toEqual(expected([
      `${FILE}:${where(text, "3, refresh")}: argocd.retry.limit: expected 0 or 1 without automated sync (a retry reruns the migration hook), got 3`,
      `${FILE}:${where(text, "true }")}: argocd.retry.refresh: expected false without automated sync: a retry would sync a newer commit than the one a person chose`,
    ]));
  });

  test("previews need a GitHub repository and a host template holding the pull request's number", () => {
    const text = prodWith(`argocd:
  repoURL: https://github.com/acme/slipway.git
  previews:
    github: { owner: acme }
    host: preview.example.com
`);
    expect(problems(text)).toEqual(expected([
      `${FILE}:${where(text, "{ owner: acme }")}: argocd.previews.github.repo: missing: expected a string`,
      `${FILE}:${where(text, "preview.example.com")}: argocd.previews.host: expected a host template whose first label holds {number} (and {stack}), such as {stack}-{number}.preview.example.com, got 'preview.example.com'`,
    ]));
  });
});
