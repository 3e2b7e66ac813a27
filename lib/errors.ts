/**
 * A configuration problem (an environment file, a stack's props, a command line): every message names the
 * file, the field path and what was expected. No message shows a secret or megabytes of input: credentials
 * in URLs are replaced by `***` and each message is clipped (see `shown`).
 */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    const safe = problems.map(shown);
    super(safe.join("\n"));
    this.name = "ConfigError";
    this.problems = safe;
  }
}

/**
 * Props a construct cannot render (a port below 1024, a quota below what the workloads ask for), with
 * what to change. The render pipeline reports it against the environment file and stack that built the
 * construct; any other error is a bug and surfaces as one.
 */
export class PropsError extends Error {
  /**
   * @param prop the prop at fault, when it came from a user (e.g. an env var of the component's `env`): the
   *   render pipeline then names the environment file's line and field, not only the stack
   */
  constructor(
    message: string,
    readonly prop?: PropLocation,
  ) {
    super(message);
    this.name = "PropsError";
  }
}

/** A prop of a component: its name (the construct's id) and the path within its props, e.g. `["env", "DATABASE_URL"]`. */
export interface PropLocation {
  readonly component: string;
  readonly path: readonly PropertyKey[];
}

/** Longest value a message quotes: enough to recognise it, never a pasted log or file. */
const MAX_QUOTED = 80;
/** Longest message: a long list of names fits, megabytes of input do not. */
const MAX_MESSAGE = 2000;

/** The user information of a URL (`https://user:token@github.com/...`): scheme, user, password, up to the `@`. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@'":]*)(:[^\s/?#@'"]*)?@/gi;

/**
 * `text` with the credentials of every URL in it replaced by `***`. Over http(s) the user part is often the
 * token itself (`https://ghp_…@github.com`), so all of it goes: `https://***@github.com/acme/app.git`.
 * Elsewhere only the password does: `ssh://git@github.com` names a user, not a secret.
 */
export function redacted(text: string): string {
  return text.replace(URL_CREDENTIALS, (_, scheme: string, user: string, password?: string) =>
    /^https?:\/\/$/i.test(scheme) ? `${scheme}***@` : `${scheme}${user}${password ? ":***" : ""}@`,
  );
}

/** Whether `url` carries a secret by the rule `redacted` applies: a password, or any user over http(s). */
export function carriesCredentials(url: URL): boolean {
  return url.password !== "" || (/^https?:$/.test(url.protocol) && url.username !== "");
}

/** What a message may show of `text`: credentials redacted, and at most `max` characters with the length of the rest. */
export function clipped(text: string, max: number): string {
  const safe = redacted(text);
  return safe.length <= max ? safe : `${safe.slice(0, max)}… (${safe.length - max} more characters)`;
}

/** A value quoted in a message: `'value'`, credentials redacted, a long value cut to its start and its length. */
export function quoted(value: string): string {
  const safe = redacted(value);
  return safe.length <= MAX_QUOTED ? `'${safe}'` : `'${safe.slice(0, MAX_QUOTED)}…' (${safe.length} characters)`;
}

/** A whole message as it may be shown. */
export function shown(message: string): string {
  return clipped(message, MAX_MESSAGE);
}
