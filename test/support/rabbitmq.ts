/**
 * A real RabbitMQ node on loopback for the tests of the rabbitmq.conf Slipway renders. RabbitMQ is required,
 * never optional: without it these tests fail with the install command (.ci/run installs it), so no machine
 * passes them by skipping.
 *
 * The node is this test's alone: its own epmd (Erlang's port mapper) on a free loopback port, its distribution
 * port on loopback, every file in a temp folder. Run as root, it runs as `nobody`, which may write only the
 * folders the image lets RabbitMQ write (the data directory and the log folder): a write anywhere else fails
 * the boot, as it would on the pod's read-only root filesystem.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { freePort } from "./net";

export const INSTALL_HINT =
  "RabbitMQ is not installed: these tests boot the rendered rabbitmq.conf on a real node; install it with " +
  "`apt-get update && apt-get install -y rabbitmq-server` (.ci/run does)";

/** Debian keeps RabbitMQ's own scripts (which take RABBITMQ_* variables as they are) out of PATH. */
const SCRIPTS = "/usr/lib/rabbitmq/bin";
const NOBODY = 65534;

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => socket.end(() => resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

export interface RabbitmqOptions {
  /** The rendered rabbitmq.conf; its listeners are moved to free loopback ports. */
  readonly conf: string;
  readonly enabledPlugins: string;
  /** The variables the pod gives the server (user, password, cookie). */
  readonly env: Readonly<Record<string, string>>;
}

export class RabbitmqNode {
  private constructor(
    readonly dir: string,
    readonly amqpPort: number,
    readonly managementPort: number,
    private readonly baseEnv: Readonly<Record<string, string>>,
    private readonly epmd: ChildProcess,
    private readonly server: ChildProcess,
  ) {}

  /** Boots a node on the config and waits (at most 120 s) until its AMQP listener accepts connections. */
  static async start(options: RabbitmqOptions): Promise<RabbitmqNode> {
    if (!existsSync(path.join(SCRIPTS, "rabbitmq-server"))) throw new Error(INSTALL_HINT);
    const [amqpPort, managementPort, epmdPort, distPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const dir = mkdtempSync(path.join(tmpdir(), "slipway-rabbitmq-"));
    chmodSync(dir, 0o755);
    const conf = options.conf
      .replace(/^listeners\.tcp\.default = \d+$/m, `listeners.tcp.default = 127.0.0.1:${amqpPort}`)
      .replace(/^management\.tcp\.port = \d+$/m, `management.tcp.port = ${managementPort}\nmanagement.tcp.ip = 127.0.0.1`);
    writeFileSync(path.join(dir, "rabbitmq.conf"), conf, { mode: 0o644 });
    writeFileSync(path.join(dir, "enabled_plugins"), options.enabledPlugins, { mode: 0o644 });
    const asNobody = userInfo().uid === 0;
    const writable = (name: string) => {
      const folder = path.join(dir, name);
      mkdirSync(folder, { mode: 0o755 });
      if (asNobody) chownSync(folder, NOBODY, NOBODY);
      return folder;
    };
    const data = writable("var-lib-rabbitmq");
    const logs = writable("var-log-rabbitmq");
    const baseEnv = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      LANG: "C.UTF-8",
      HOME: data,
      ERL_EPMD_PORT: String(epmdPort),
      RABBITMQ_NODENAME: "rabbit@localhost",
      ...options.env,
    };
    const epmd = spawn("epmd", ["-port", String(epmdPort), "-address", "127.0.0.1"], { stdio: "ignore" });
    const stdout = openSync(path.join(dir, "server.log"), "w");
    const script = path.join(SCRIPTS, "rabbitmq-server");
    const [command, args] = asNobody ? ["setpriv", [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", script]] : [script, []];
    const server = spawn(command, args, {
      cwd: dir,
      stdio: ["ignore", stdout, stdout],
      env: {
        ...baseEnv,
        // Exec the VM instead of supervising it from a shell, as the official image does.
        RUNNING_UNDER_SYSTEMD: "true",
        RABBITMQ_CONFIG_FILE: path.join(dir, "rabbitmq.conf"),
        RABBITMQ_CONFIG_FILES: path.join(dir, "conf.d"),
        RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, "enabled_plugins"),
        RABBITMQ_MNESIA_BASE: path.join(data, "mnesia"),
        RABBITMQ_LOG_BASE: logs,
        RABBITMQ_DIST_PORT: String(distPort),
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: "-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}",
      },
    });
    closeSync(stdout);
    const node = new RabbitmqNode(dir, amqpPort, managementPort, baseEnv, epmd, server);
    for (let i = 0; i < 240 && server.exitCode === null; i++) {
      if (await canConnect(amqpPort)) return node;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const log = node.log();
    await node.stop();
    throw new Error(`RabbitMQ did not open its AMQP port ${amqpPort}:\n${log}`);
  }

  /** What the node printed (its console log). */
  log(): string {
    return readFileSync(path.join(this.dir, "server.log"), "utf8");
  }

  /** A CLI tool (`rabbitmq-diagnostics`, `rabbitmqctl`) against this node, with the pod's variables and `env`. */
  cli(tool: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): { status: number | null; stdout: string; stderr: string } {
    const run = spawnSync(path.join(SCRIPTS, tool), args, { encoding: "utf8", cwd: this.dir, env: { ...this.baseEnv, ...env }, timeout: 60_000 });
    if (run.error) throw run.error;
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  async stop(): Promise<void> {
    for (const child of [this.server, this.epmd]) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
