/**
 * Builds the whole cdk8s App from the environments: one chart per environment × stack, in the stack's
 * namespace and folder. Every chart gets the namespace's own objects (constructs/namespace.ts) and, on
 * first use, the stack's secret store; then the stack builds its components, the constructs' own checks
 * run, and sync waves are applied. Problems are reported against the environment file and stack that
 * caused them.
 */
import { Chart, type App } from "cdk8s";
import type { Construct } from "constructs";
import { applySyncWaves } from "../constructs/lib/roles";
import { stackLabels } from "../constructs/lib/labels";
import { HIGH_AVAILABILITY_CONTEXT } from "../constructs/lib/scaling";
import { Namespace } from "../constructs/namespace";
import { SecretStore, type VaultStore } from "../constructs/secret-store";
import { ConfigError, type Environment, type SharedSections, type StackBase } from "../environments";
import { PropsError } from "../lib/errors";
import { byCodePoint } from "../lib/order";
import type { StackContext, StackDefinition } from "../stacks/lib/define";
import type { Output } from "./files";

export interface StackChart extends Output {
  readonly env: string;
  readonly stack: string;
  readonly namespace: string;
  readonly hosts: readonly string[];
}

/** The stack's secret store: Vault with the stack's own role and key folder (`<stack>-<env>`, `<env>/<stack>` unless it says otherwise), or the generator. */
function secretStore(scope: Construct, env: SharedSections & { name: string }, stack: string, settings: StackBase): SecretStore {
  const own = settings.secrets ?? {};
  const rotation = own.rotation ?? 0;
  if (env.secrets.provider === "generator") return new SecretStore(scope, "secret-store", { source: { provider: "generator" }, rotation });
  const source: VaultStore = {
    provider: "vault",
    server: env.secrets.server,
    path: own.path ?? env.secrets.path,
    authMountPath: own.authMountPath ?? env.secrets.authMountPath,
    role: own.role ?? `${stack}-${env.name}`,
  };
  return new SecretStore(scope, "secret-store", { source, keyPrefix: own.keyPrefix ?? `${env.name}/${stack}`, rotation });
}

export function buildStacks(app: App, environments: readonly Environment[], stacks: ReadonlyMap<string, StackDefinition>): StackChart[] {
  const charts: StackChart[] = [];
  const problems: string[] = [];
  for (const env of environments) {
    const { stacks: stackSettings, ...shared } = env.data;
    const envInfo = { ...shared, name: env.name };
    for (const [stack, settings] of Object.entries(stackSettings).sort(([a], [b]) => byCodePoint(a, b))) {
      if (!settings) continue;
      const definition = stacks.get(stack);
      if (!definition) throw new Error(`no definition for stack '${stack}' (the environment schema should have refused it)`);
      const base = settings as StackBase;
      const chart = new Chart(app, `${env.name}-${stack}`, {
        namespace: base.namespace,
        labels: stackLabels(stack),
        disableResourceNameHashes: true,
      });
      chart.node.setContext(HIGH_AVAILABILITY_CONTEXT, shared.policy.highAvailability);
      try {
        new Namespace(chart, "namespace", {
          ingressControllerNamespace: shared.ingress.controllerNamespace,
          ...(base.quota ? { quota: base.quota } : {}),
        });
        let store: SecretStore | undefined;
        const ctx: StackContext<StackBase> = {
          stack,
          env: envInfo,
          settings: base,
          get secrets() {
            return (store ??= secretStore(chart, envInfo, stack, base));
          },
        };
        definition.build(chart, ctx);
        const invalid = chart.node.findAll().flatMap((c) => c.node.validate());
        if (invalid.length) throw new PropsError(invalid.join("; "));
        applySyncWaves(chart);
      } catch (e) {
        if (e instanceof ConfigError) problems.push(...e.problems.map((p) => `${env.file}: stacks.${stack}: ${p}`));
        else if (e instanceof PropsError) problems.push(`${env.file}: stacks.${stack}: ${e.message}`);
        else throw e;
        continue;
      }
      charts.push({
        env: env.name,
        stack,
        namespace: base.namespace,
        hosts: base.hosts,
        chart,
        folder: `${env.name}/${stack}`,
        source: env.file,
      });
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return charts;
}
