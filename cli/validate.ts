/** Entry point of `npm run validate [path] [--profile strict|default]`; see validation/cli.ts. */
import { runValidateCli } from "../validation/cli";

export async function main(argv: readonly string[]): Promise<void> {
  try {
    process.exitCode = await runValidateCli(argv, {
      cwd: process.cwd(),
      stdout: (text) => process.stdout.write(`${text}\n`),
      stderr: (text) => process.stderr.write(`${text}\n`),
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  }
}

if (require.main === module) void main(process.argv.slice(2));
