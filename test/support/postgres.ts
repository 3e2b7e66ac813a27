/**
 * A real PostgreSQL server on loopback for the tests of the SQL and shell Slipway renders (the database's
 * setup step, its backups and their restore). PostgreSQL is required, never optional: without it these
 * tests fail with the install command (.ci/run installs it), so no machine passes them by skipping.
 *
 * initdb refuses to run as root, so as root every server command runs as the `postgres` user Debian's
 * package creates, through runuser.
 */
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { freePort } from "./net";

export const INSTALL_HINT =
  "PostgreSQL is not installed: these tests run the rendered SQL and shell against a real server; install it with " +
  "`apt-get update && apt-get install -y postgresql` (.ci/run does)";

/** The directory of PostgreSQL's server programs (Debian keeps them out of PATH, one folder per major version). */
export function postgresBin(root = "/usr/lib/postgresql"): string {
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, "bin", "initdb"))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) throw new Error(INSTALL_HINT);
  return path.join(root, newest, "bin");
}

export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export class PostgresServer {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly asPostgres: boolean,
  ) {}

  /** initdb (superuser `postgres`, password `superuser`, scram over TCP) and start on a free loopback port. */
  static async start(): Promise<PostgresServer> {
    const bin = postgresBin();
    const asPostgres = userInfo().uid === 0;
    const dir = mkdtempSync(path.join(tmpdir(), "slipway-pg-"));
    chmodSync(dir, 0o777);
    const server = new PostgresServer(dir, await freePort(), asPostgres);
    // A file, not /dev/stdin: a child's piped stdin is a socket, which initdb cannot open by name.
    const pwfile = path.join(dir, "superuser-password");
    writeFileSync(pwfile, "superuser\n", { mode: 0o644 });
    server.mustRun(path.join(bin, "initdb"), ["-D", server.dataDir, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", `--pwfile=${pwfile}`]);
    server.mustRun(path.join(bin, "pg_ctl"), [
      "-D",
      server.dataDir,
      "-o",
      `-p ${server.port} -k ${dir} -c listen_addresses=127.0.0.1`,
      "-l",
      path.join(dir, "server.log"),
      "-w",
      "start",
    ]);
    return server;
  }

  get dataDir(): string {
    return path.join(this.dir, "data");
  }

  /** The libpq variables of a TCP connection as `user` with `password`. */
  env(user: string, password: string, database: string): Record<string, string> {
    return { PGHOST: "127.0.0.1", PGPORT: String(this.port), PGUSER: user, PGPASSWORD: password, PGDATABASE: database };
  }

  /** A shell script with `env` added to the environment and PostgreSQL's programs on PATH. */
  sh(script: string, env: Record<string, string>): CommandResult {
    return this.run("sh", ["-c", script], { env: { ...process.env, ...env, PATH: `${postgresBin()}:${process.env.PATH ?? ""}` } });
  }

  /** One SQL statement's rows, unaligned and tuples-only (`a|b` per row). */
  query(sql: string, env: Record<string, string>): string {
    const result = this.sh(`psql -v ON_ERROR_STOP=1 -Atc "$SQL"`, { ...env, SQL: sql });
    if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
    return result.stdout.trim();
  }

  /** A folder the server's user can write (the dumps' /backup). */
  folder(name: string): string {
    const dir = path.join(this.dir, name);
    this.mustRun("mkdir", ["-p", dir]);
    return dir;
  }

  stop(): void {
    this.run(path.join(postgresBin(), "pg_ctl"), ["-D", this.dataDir, "-m", "immediate", "stop"]);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private run(command: string, args: readonly string[], options: SpawnSyncOptions = {}): CommandResult {
    const [file, argv] = this.asPostgres ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
    if (this.asPostgres) chownToPostgres(this.dir);
    const result = spawnSync(file, argv as string[], { encoding: "utf8", cwd: this.dir, ...options });
    if (result.error) throw result.error;
    return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
  }

  private mustRun(command: string, args: readonly string[], options: SpawnSyncOptions = {}): void {
    const result = this.run(command, args, options);
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  }
}

/** The server's folder belongs to the `postgres` user when the tests run as root. */
function chownToPostgres(dir: string): void {
  const { uid, gid } = postgresIds();
  chownSync(dir, uid, gid);
}

let ids: { uid: number; gid: number } | undefined;
function postgresIds(): { uid: number; gid: number } {
  if (!ids) {
    const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
    ids = { uid: id("-u"), gid: id("-g") };
    if (Number.isNaN(ids.uid)) throw new Error(`${INSTALL_HINT} (no 'postgres' user to run the server as)`);
  }
  return ids;
}
