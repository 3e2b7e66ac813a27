/**
 * One benchmark run in a fresh process: N API-like services (Deployment, Service, ServiceAccount,
 * HPA, PDB, NetworkPolicy) × 3 environments through the same build → validate →
 * serialize → atomic write path as `npm run synth`. Prints one JSON line.
 *
 * usage: node worker.js <services> <outDir>
 *        node worker.js phases <outDir>   (the repository's own synth, its phase timings)
 */
import { App, Chart } from "cdk8s";
import { Api } from "../constructs/api";
import { stackLabels } from "../constructs/lib/labels";
import { Namespace } from "../constructs/namespace";
import { applySyncWaves } from "../constructs/lib/roles";
import { synth, validateFiles } from "../render/pipeline";
import { collectFiles, foldersOf, renderTexts, type Output } from "../render/files";
import { writeOutput } from "../render/write";
import { DEFAULT_PROFILE, STRICT_PROFILE } from "../validation/types";

const DIGEST = `sha256:${"ab".repeat(32)}`;

function environment(app: App, env: string, services: number): Output {
  const chart = new Chart(app, env, { namespace: `bench-${env}`, labels: stackLabels("bench"), disableResourceNameHashes: true });
  const prod = env === "prod";
  const apis = Array.from({ length: services }, (_, i) => {
    const name = `svc-${String(i).padStart(3, "0")}`;
    return new Api(chart, name, {
      image: { repository: `ghcr.io/acme/${name}`, tag: "1.0.0", ...(prod ? { digest: DIGEST } : {}) },
      ...(prod ? { autoscaling: { minReplicas: 2, maxReplicas: 6 }, highAvailability: true } : { replicas: 2 }),
      env: { LOG_LEVEL: "info", SERVICE_NAME: name },
    });
  });
  new Namespace(chart, "namespace", { ingressControllerNamespace: "ingress-nginx" });
  // A ring of calls: every Service is someone's callee, as the gate demands of a real stack.
  apis.forEach((api, i) => api.connect(apis[(i + 1) % apis.length]!, { envPrefix: false }));
  applySyncWaves(chart);
  return { chart, folder: `${env}/bench`, source: "bench" };
}

/** The construct tree lives only in here, as in synth's buildFiles. */
function build(services: number) {
  const app = new App();
  const outputs = ["dev", "staging", "prod"].map((env) => environment(app, env, services));
  return { files: collectFiles(outputs), folders: foldersOf(outputs) };
}

async function run(): Promise<void> {
  const outDir = process.argv[3];
  if (process.argv[2] === "phases") {
    const { timings } = await synth({ root: process.cwd(), outDir });
    process.stdout.write(`${JSON.stringify(timings)}\n`);
    return;
  }
  const services = Number(process.argv[2]);
  const started = performance.now();
  const { files, folders } = build(services);
  const built = performance.now();
  await validateFiles(files, (path) => (path.startsWith("prod/") ? STRICT_PROFILE : DEFAULT_PROFILE));
  const validated = performance.now();
  await writeOutput(outDir, renderTexts(folders, files));
  const done = performance.now();
  const line = {
    services,
    objects: files.reduce((n, f) => n + f.objects.length, 0),
    buildMs: built - started,
    validateMs: validated - built,
    writeMs: done - validated,
    inProcessMs: done - started,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

run().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
