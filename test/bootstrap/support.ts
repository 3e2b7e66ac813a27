/**
 * Runs the bootstrap under Pulumi's mocks (no CLI, no cluster) and records every resource registration as the
 * engine would receive it: type, name, inputs (with Pulumi's secret markers still in place), dependencies and
 * options. The network is stubbed too: `pulumi up` downloads Argo CD's CRDs, the tests never do.
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { PROJECT } from "../../bootstrap/config";

export const REPO_ROOT = join(__dirname, "../..");

/** Hand-written stand-ins for Argo CD's CRD files, by file name (see their header). */
export const ARGOCD_CRD_STAND_INS = join(__dirname, "fixtures/argocd-crds");

/** Pulumi's marker of a serialized secret (sdk/nodejs/runtime/rpc.ts specialSigKey / specialSecretSig). */
export const SECRET_SIG = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" };

export interface Registration {
  readonly type: string;
  readonly name: string;
  /** The inputs as serialized for the engine: secrets are `{[SECRET_SIG.key]: SECRET_SIG.value, value}`. */
  readonly wire: Record<string, unknown>;
  /** The inputs with secrets unwrapped. */
  readonly inputs: Record<string, any>;
  /** Names of the resources it depends on. */
  readonly dependsOn: string[];
  readonly ignoreChanges: string[];
  readonly retainOnDelete: boolean;
  readonly additionalSecretOutputs: string[];
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
  getRetainondelete(): boolean;
  getAdditionalsecretoutputsList(): string[];
}

let recording: Registration[] | undefined;
const register = MockMonitor.prototype.registerResource;
MockMonitor.prototype.registerResource = function (this: MockMonitor, req: RegisterRequest, callback: (err: unknown, res: unknown) => void) {
  recording?.push({
    type: req.getType(),
    name: req.getName(),
    wire: req.getObject()?.toJavaScript() ?? {},
    inputs: {},
    dependsOn: req.getDependenciesList().map(nameOf),
    ignoreChanges: req.getIgnorechangesList(),
    retainOnDelete: req.getRetainondelete(),
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
  });
  return register.call(this, req, callback);
} as typeof register;

/** Answers a URL the program fetches. */
export type Network = (url: string) => Response;

/**
 * The stubbed network's default: an argoproj/argo-cd `manifests/crds/<file>.yaml` URL gets that file's stand-in
 * (ARGOCD_CRD_STAND_INS; the tag in the URL is not checked here), anything else a 404.
 */
export const argoCdCrdStandIns: Network = (url) => {
  const file = /^https:\/\/raw\.githubusercontent\.com\/argoproj\/argo-cd\/[^/]+\/manifests\/crds\/([a-z-]+\.yaml)$/.exec(url)?.[1];
  if (!file) return new Response("404: Not Found", { status: 404, statusText: "Not Found" });
  return new Response(readFileSync(join(ARGOCD_CRD_STAND_INS, basename(file)), "utf8"));
};

export interface MockRun<T> {
  readonly result: T;
  /** Every URL the program fetched, in order. */
  readonly fetched: string[];
  /** Every registration but the stack itself, in order. */
  readonly resources: Registration[];
  byName(name: string): Registration;
}

/** Config values are given without the project prefix, as `pulumi config set` takes them. */
export async function runMocked<T>(
  stack: string,
  config: Record<string, string>,
  program: () => T,
  secretKeys: readonly string[] = [],
  network: Network = argoCdCrdStandIns,
): Promise<MockRun<T>> {
  const resources: Registration[] = [];
  recording = resources;
  const fetched: string[] = [];
  const fetch = jest.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    const url = input instanceof Request ? input.url : String(input);
    fetched.push(url);
    return network(url);
  });
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const registration = [...resources].reverse().find((r) => r.name === args.name && r.type === args.type);
        if (registration) Object.assign(registration.inputs, args.inputs);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    PROJECT,
    stack,
  );
  const prefixed = (key: string) => `${PROJECT}:${key}`;
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [prefixed(k), v])),
    secretKeys.map(prefixed),
  );
  try {
    const result = program();
    await pulumi.runtime.disconnect();
    const registered = resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
    return {
      result,
      fetched,
      resources: registered,
      byName(name) {
        const found = registered.find((r) => r.name === name);
        if (!found) throw new Error(`no resource '${name}' among ${registered.map((r) => r.name).join(", ")}`);
        return found;
      },
    };
  } finally {
    recording = undefined;
    fetch.mockRestore();
  }
}

/** Every string in `value` outside Pulumi's secret markers, with its path. */
export function plainStrings(value: unknown, path = ""): { path: string; value: string }[] {
  if (typeof value === "string") return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => plainStrings(v, `${path}[${i}]`));
  if (value && typeof value === "object") {
    const node = value as Record<string, unknown>;
    if (node[SECRET_SIG.key] === SECRET_SIG.value) return [];
    return Object.entries(node).flatMap(([k, v]) => plainStrings(v, path ? `${path}.${k}` : k));
  }
  return [];
}

/** Resolves every Output in `value` (deeply), reporting each leaf with whether it is secret. */
export async function resolveOutputs(value: unknown, path = ""): Promise<{ path: string; value: unknown; secret: boolean }[]> {
  if (pulumi.Output.isInstance(value)) {
    const secret = await pulumi.isSecret(value as pulumi.Output<unknown>);
    const inner = await new Promise<unknown>((resolve) => (value as pulumi.Output<unknown>).apply((v) => resolve(v)));
    return (await resolveOutputs(inner, path)).map((leaf) => ({ ...leaf, secret: leaf.secret || secret }));
  }
  if (Array.isArray(value)) return (await Promise.all(value.map((v, i) => resolveOutputs(v, `${path}[${i}]`)))).flat();
  if (value && typeof value === "object") {
    return (await Promise.all(Object.entries(value).map(([k, v]) => resolveOutputs(v, path ? `${path}.${k}` : k)))).flat();
  }
  return [{ path, value, secret: false }];
}
