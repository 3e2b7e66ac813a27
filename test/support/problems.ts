import { ConfigError } from "../../lib/errors";

/** The problems a ConfigError thrown by `run` lists, or [] when `run` succeeds; any other error is rethrown. */
export function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}
