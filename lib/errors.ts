/** A configuration problem (an environment file, a stack's props, a command line): every message names the file, the field path and what was expected. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}
