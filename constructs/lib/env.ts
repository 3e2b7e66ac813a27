/**
 * A container's environment, gathered from several places (its own props, each connection it makes) and
 * rendered once: plain values into the component's ConfigMap, Secret keys as references only. A name set
 * by two places is an error naming both, never a silent overwrite.
 */
import { PropsError } from "../../lib/errors";
import { ENV_VAR_NAME, matches } from "../../lib/formats";
import { byCodePoint } from "../../lib/order";
import type { k8s } from "./k8s";

/** A key of a Secret, as a workload refers to it; the value never appears in what Slipway renders. */
export interface SecretKeyRef {
  readonly secretName: string;
  readonly key: string;
  /**
   * Changes whenever the Secret's values may: pods reading it carry a hash of it, so they roll onto new
   * values (see ExternalSecret).
   * @default - values that never change
   */
  readonly version?: string;
}

/** Plain text (rendered into the component's ConfigMap) or a Secret key (rendered as a reference). */
export type EnvValue = string | SecretKeyRef;

export type Env = Readonly<Record<string, EnvValue>>;

/** `orders-api` → `ORDERS_API`: the variables a connection gives are named after its target unless it says otherwise. */
export function envPrefixOf(name: string): string {
  return name.toUpperCase().replace(/-/g, "_");
}

export function isSecretKeyRef(value: EnvValue): value is SecretKeyRef {
  return typeof value !== "string";
}

export class EnvironmentVariables {
  private readonly values = new Map<string, { value: EnvValue; from: string }>();

  /** @param owner the construct, for messages, e.g. `Api 'api'` */
  constructor(readonly owner: string) {}

  /** Adds every variable of `env`; `from` says where they come from, e.g. `its env` or `its connection to Database 'database'`. */
  add(env: Env, from: string): void {
    for (const [name, value] of Object.entries(env)) {
      if (!matches(ENV_VAR_NAME, name)) {
        throw new PropsError(`${this.owner}: '${name}' (${from}) is not a valid name: expected ${ENV_VAR_NAME.expected}`);
      }
      const seen = this.values.get(name);
      if (seen) {
        throw new PropsError(`${this.owner}: '${name}' is set both by ${seen.from} and by ${from}; keep one (a connection's variables can be renamed with its envPrefix)`);
      }
      this.values.set(name, { value, from });
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  /** Every variable as a container's `env` lists it, in code-point order. */
  rendered(): k8s.EnvVar[] {
    return [...Object.entries(this.plain()).map(([name, value]) => ({ name, value })), ...this.secretRefs()].sort((a, b) => byCodePoint(a.name, b.name));
  }

  /** `<secret>/<key>@<version>` of every Secret key read whose values may change. */
  secretVersions(): string[] {
    return this.sorted().flatMap(([, { value }]) => (isSecretKeyRef(value) && value.version !== undefined ? [`${value.secretName}/${value.key}@${value.version}`] : []));
  }

  /** The plain values, in code-point order: the data of the component's ConfigMap. */
  plain(): Record<string, string> {
    return Object.fromEntries(
      this.sorted().flatMap(([name, { value }]) => (isSecretKeyRef(value) ? [] : [[name, value]])),
    );
  }

  /** The Secret references, in code-point order. */
  secretRefs(): k8s.EnvVar[] {
    return this.sorted().flatMap(([name, { value }]) =>
      isSecretKeyRef(value) ? [{ name, valueFrom: { secretKeyRef: { name: value.secretName, key: value.key } } }] : [],
    );
  }

  private sorted() {
    return [...this.values].sort(([a], [b]) => byCodePoint(a, b));
  }
}
