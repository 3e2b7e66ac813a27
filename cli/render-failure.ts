/** Why a render stopped, as lines for the terminal: the commands that render report the same failures alike. */
import { ConfigError } from "../lib/errors";
import { ValidationFailed } from "../render/pipeline";
import { OutputError } from "../render/write";
import { formatReport } from "../validation";

/** The lines explaining a render's failure, or undefined when `e` is none of them (a bug, to be rethrown). */
export function renderFailure(e: unknown): string[] | undefined {
  if (e instanceof ConfigError) return [...e.problems];
  if (e instanceof ValidationFailed) return [formatReport(e.report)];
  if (e instanceof OutputError) return [e.message];
  return undefined;
}
