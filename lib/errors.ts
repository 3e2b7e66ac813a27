/** A configuration problem (an environment file, a stack's props, a command line): every message names the file, the field path and what was expected. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

/**
 * Props a construct cannot render (a port below 1024, a quota below what the workloads ask for), with
 * what to change. The render pipeline reports it against the environment file and stack that built the
 * construct; any other error is a bug and surfaces as one.
 */
export class PropsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PropsError";
  }
}
