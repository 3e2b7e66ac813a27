/**
 * Runs the real nginx on rendered configs: `nginx -t`, and a live server on a loopback port.
 *
 * nginx is required, never optional: without it these tests fail with the install command, so a machine that
 * lacks it cannot pass them by skipping.
 *
 * nginx's stdout is a file: the configs log to /dev/stdout, which nginx opens by name, and that fails (ENXIO) on
 * the socket Node gives a child for a piped stdout. In a pod stdout is a pipe, which opens fine.
 */
import { spawn, spawnSync } from "node:child_process";
import { accessSync, chmodSync, closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";

export { freePort } from "../../support/net";

export const INSTALL_HINT =
  "nginx is not installed: these tests run the real `nginx -t` on the rendered configs; install it with " +
  "`apt-get update && apt-get install -y nginx-light` (.ci/run does)";

/** `nginx` on PATH, else Debian's /usr/sbin/nginx (PATH may lack sbin for non-root users). */
export function nginxBinary(searchPath = process.env.PATH ?? "", fallbackDirs: readonly string[] = ["/usr/sbin"]): string {
  const dirs = [...searchPath.split(path.delimiter).filter(Boolean), ...fallbackDirs];
  for (const dir of dirs) {
    const candidate = path.join(dir, "nginx");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(INSTALL_HINT);
}

export interface NginxTestResult {
  readonly ok: boolean;
  /** What nginx printed, with the temp directory replaced by `<dir>` and timestamps/pids removed. */
  readonly lines: readonly string[];
}

/** `nginx -t` on the text as /etc/nginx/nginx.conf would hold it. */
export function nginxTest(conf: string): NginxTestResult {
  const binary = nginxBinary();
  const dir = mkdtempSync(path.join(tmpdir(), "slipway-nginx-t-"));
  try {
    const file = path.join(dir, "nginx.conf");
    writeFileSync(file, conf);
    const stdout = openSync(path.join(dir, "stdout.log"), "w");
    const run = spawnSync(binary, ["-t", "-e", "stderr", "-p", `${dir}/`, "-c", file], {
      encoding: "utf8",
      stdio: ["ignore", stdout, "pipe"],
    });
    closeSync(stdout);
    if (run.error) throw run.error;
    const lines = run.stderr
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => line.replaceAll(dir, "<dir>").replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d (\[\w+\]) \d+#\d+: /, "$1 "));
    return { ok: run.status === 0, lines };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Response {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export function get(port: number, urlPath: string, headers: Record<string, string> = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path: urlPath, headers, agent: false, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("latin1") }));
      res.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`GET ${urlPath} on port ${port} timed out`)));
    request.on("error", reject);
  });
}

export interface RunningNginx {
  /** What nginx wrote to stdout, its access log; read once stopped. */
  accessLog(): string;
  stop(): Promise<void>;
}

/**
 * Starts nginx in the foreground on a config that listens on `port` and serves /healthz, and resolves once
 * /healthz answers (at most 5 s). Readable by nginx's workers, which run as `nobody` when the tests run as root.
 */
export async function startNginx(conf: string, port: number): Promise<RunningNginx> {
  const binary = nginxBinary();
  const dir = mkdtempSync(path.join(tmpdir(), "slipway-nginx-"));
  chmodSync(dir, 0o755);
  const file = path.join(dir, "nginx.conf");
  writeFileSync(file, conf, { mode: 0o644 });
  const stdoutFile = path.join(dir, "stdout.log");
  const stdout = openSync(stdoutFile, "w");
  const child = spawn(binary, ["-e", "stderr", "-p", `${dir}/`, "-c", file, "-g", "daemon off;"], {
    stdio: ["ignore", stdout, "pipe"],
  });
  closeSync(stdout);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let accessLog = "";
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    accessLog = readFileSync(stdoutFile, "utf8");
    rmSync(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) break;
    const healthy = await get(port, "/healthz").then(
      (res) => res.status === 200,
      () => false,
    );
    if (healthy) return { accessLog: () => accessLog, stop };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(`nginx did not answer /healthz on port ${port}:\n${stderr}`);
}

/** Temp directory the caller fills (a site root), world-readable for nginx's workers. */
export function readableTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}
