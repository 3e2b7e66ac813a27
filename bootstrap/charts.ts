/**
 * The platform charts the bootstrap installs: Argo CD, cert-manager and External Secrets Operator.
 *
 * Each is a folder `bootstrap/charts/<name>/` holding an umbrella Helm chart: `Chart.yaml` pins the upstream
 * chart as its one dependency, `values.yaml` configures it under the dependency's name. Those two files are
 * the only statement of version and values: `pulumi up` installs the upstream chart from them on a new
 * cluster, and Argo CD renders the same folder from Git afterwards (it runs `helm dependency build` for a
 * chart with dependencies: argoproj/argo-cd reposerver/repository/repository.go, getHelmDependencyRepos and
 * runHelmBuild). Both render the same objects, so Argo CD adopts what Pulumi installed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { ConfigError } from "../lib/errors";

export const PLATFORM_CHARTS = ["argocd", "cert-manager", "external-secrets"] as const;
export type PlatformChartName = (typeof PLATFORM_CHARTS)[number];

/** Where the umbrella charts live, relative to the repository root (Argo CD reads them there). */
export const CHARTS_PATH = "bootstrap/charts";

export interface PlatformChart {
  /** The folder's name: also the Helm release's and the namespace's (Argo CD's namespace comes from the environments). */
  readonly name: PlatformChartName;
  /** The folder, relative to the repository root: the path of its Argo CD Application. */
  readonly path: string;
  /** The upstream chart, e.g. `argo-cd`. */
  readonly chart: string;
  /** Its exact version, e.g. `10.1.1`. */
  readonly version: string;
  /** Its Helm repository, e.g. `https://argoproj.github.io/argo-helm`. */
  readonly repository: string;
  /** The values given to the upstream chart (values.yaml under the chart's name). */
  readonly values: Record<string, unknown>;
}

// A version range would let two installs of one commit differ; Helm accepts a leading v (cert-manager uses it).
const EXACT_VERSION = /^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$/;
const HTTPS = /^https:\/\/\S+$/;

function readYaml(file: string, rel: string, problems: string[]): unknown {
  const doc = parseDocument(readFileSync(file, "utf8"), { prettyErrors: false, uniqueKeys: true });
  for (const error of doc.errors) problems.push(`${rel}: YAML syntax error: ${error.message.split("\n")[0]}`);
  return doc.errors.length ? undefined : doc.toJS();
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Reads and checks `bootstrap/charts/<name>/` under `repoRoot`; throws ConfigError naming the file and field. */
export function readPlatformChart(repoRoot: string, name: PlatformChartName): PlatformChart {
  const path = `${CHARTS_PATH}/${name}`;
  const chartFile = `${path}/Chart.yaml`;
  const valuesFile = `${path}/values.yaml`;
  const problems: string[] = [];
  const chart = readYaml(join(repoRoot, chartFile), chartFile, problems);
  const values = readYaml(join(repoRoot, valuesFile), valuesFile, problems);
  if (problems.length) throw new ConfigError(problems);

  const dependencies = isMapping(chart) ? chart.dependencies : undefined;
  if (!Array.isArray(dependencies) || dependencies.length !== 1 || !isMapping(dependencies[0])) {
    throw new ConfigError([`${chartFile}: dependencies: expected exactly one dependency, the upstream chart`]);
  }
  const dependency = dependencies[0];
  const field = (key: string, valid: (v: string) => boolean, expected: string): string => {
    const value = dependency[key];
    if (typeof value !== "string" || !valid(value)) {
      problems.push(`${chartFile}: dependencies[0].${key}: expected ${expected}, got ${JSON.stringify(value)}`);
    }
    return String(value);
  };
  const upstream = field("name", (v) => v.length > 0, "the upstream chart's name");
  const version = field("version", (v) => EXACT_VERSION.test(v), "an exact version such as 10.1.1 (no range)");
  const repository = field("repository", (v) => HTTPS.test(v), "the https URL of a Helm repository");
  for (const key of ["alias", "condition", "tags"]) {
    if (key in dependency) problems.push(`${chartFile}: dependencies[0].${key}: not supported: the bootstrap installs the chart as it is named`);
  }
  if (!isMapping(values) || Object.keys(values).some((key) => key !== upstream)) {
    problems.push(`${valuesFile}: expected only the key '${upstream}' (the upstream chart's values), got ${isMapping(values) ? Object.keys(values).join(", ") : "no mapping"}`);
  }
  if (problems.length) throw new ConfigError(problems);
  const ownValues = (values as Record<string, unknown>)[upstream];
  return { name, path, chart: upstream, version, repository, values: isMapping(ownValues) ? ownValues : {} };
}
