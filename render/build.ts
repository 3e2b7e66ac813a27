/**
 * Builds the whole cdk8s App from the environments: one chart per environment × stack, each in its own
 * namespace and folder, with sync waves applied. Construct errors are reported against the environment
 * file and stack that caused them.
 */
import { Chart, type App } from "cdk8s";
import { ConfigError, type Environment } from "../environments";
import { applySyncWaves } from "../constructs/lib/sync-waves";
import { stackLabels } from "../constructs/lib/labels";
import { byCodePoint } from "../lib/order";
import { stackBuilders, type StackBuilder, type StackName } from "../stacks";
import type { Output } from "./files";

export interface StackChart extends Output {
  readonly env: string;
  readonly stack: string;
  readonly namespace: string;
  readonly hosts: readonly string[];
}

export function buildStacks(app: App, environments: readonly Environment[]): StackChart[] {
  const charts: StackChart[] = [];
  const problems: string[] = [];
  for (const env of environments) {
    const { stacks, ...shared } = env.data;
    for (const [stack, settings] of Object.entries(stacks).sort(([a], [b]) => byCodePoint(a, b))) {
      if (!settings) continue;
      const chart = new Chart(app, `${env.name}-${stack}`, {
        namespace: settings.namespace,
        labels: stackLabels(stack),
        disableResourceNameHashes: true,
      });
      try {
        const build = stackBuilders[stack as StackName] as StackBuilder<unknown>;
        build(chart, { stack, envName: env.name, env: shared, settings });
        applySyncWaves(chart);
      } catch (e) {
        if (!(e instanceof Error)) throw e;
        problems.push(`${env.file}: stacks.${stack}: ${e.message}`);
        continue;
      }
      charts.push({
        env: env.name,
        stack,
        namespace: settings.namespace,
        hosts: settings.hosts,
        chart,
        folder: `${env.name}/${stack}`,
        source: env.file,
      });
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return charts;
}
