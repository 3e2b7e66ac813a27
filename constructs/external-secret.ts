/**
 * A Kubernetes Secret provisioned by External Secrets: workloads reference the Secret by name, the values
 * come from the store at runtime, and Git only ever holds the reference. Derived keys (a connection URL
 * with the password URL-encoded, a config-file line) are computed by External Secrets' template engine
 * from the fetched values, so they never pass through Git either.
 *
 * Values are read (or generated) when the ExternalSecret is created and again only when it changes
 * (`refreshPolicy: OnChange`), the same with Vault and with the generator: a password changed in Vault is
 * never picked up behind the pods' backs. Bumping the store's `rotation` changes every ExternalSecret that
 * is not read-once, and the hash of it on the pods that read them, so one sync reads the new values and
 * rolls those pods onto them (README, "Password rotation").
 */
import { PropsError } from "../lib/errors";
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import type { IExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { DATA_KEY, matches } from "../lib/formats";
import { checksum } from "./lib/workload";
import type { SecretKeyRef } from "./lib/env";
import type { SecretStore } from "./secret-store";

export interface ExternalSecretProps {
  readonly store: SecretStore;
  /** Name of the Secret created in the namespace (and of this ExternalSecret). */
  readonly secretName: string;
  /**
   * Name of the secret in Vault, under the store's key prefix.
   * @default - the secretName
   */
  readonly remoteName?: string;
  /** Keys fetched from the store (or generated), e.g. `["password"]`. */
  readonly keys: readonly string[];
  /**
   * More keys, computed from the fetched ones with External Secrets' v2 template engine (Go text/template
   * with Sprig), e.g. `{ url: "postgresql://app:{{ .password | urlquery }}@database:5432/app" }`.
   * @default {}
   */
  readonly templates?: Readonly<Record<string, string>>;
  /**
   * Read (or generate) the values once, when the Secret is first created, and never again, rotation
   * included: for a password data was initialised with (a database's superuser), which a new value would
   * lock out.
   * @default false
   */
  readonly readOnce?: boolean;
}

/** The annotation that carries the store's rotation count to the ExternalSecrets it rotates. */
export const ROTATION_ANNOTATION = "slipway.dev/rotation";

/**
 * What External Secrets' CRD defaults in every `data[].remoteRef`, stated as it defaults them: `data` is an
 * atomic list, so a diff that merges the desired list into the live one without the CRD's defaults (Argo CD
 * with ServerSideApply=true) would otherwise see the defaulted fields as drift forever (docs/argocd.md).
 */
const REMOTE_REF_DEFAULTS = { conversionStrategy: "Default", decodingStrategy: "None", metadataPolicy: "None" } as const;

/**
 * A Go template expression that URL-encodes the value of `key` for any part of a URL: `urlquery` escapes
 * everything but unreserved characters and writes a space as `+`, which in a URL's user info would read
 * as a literal plus, so spaces become `%20`.
 */
export function urlEncoded(key: string): string {
  return `{{ .${key} | urlquery | replace "+" "%20" }}`;
}

export class ExternalSecret extends Construct {
  readonly secretName: string;
  readonly keys: readonly string[];
  /** Changes whenever the values may (its spec or rotation); undefined for a read-once Secret. */
  readonly version?: string;

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    const me = `ExternalSecret '${props.secretName}'`;
    if (props.keys.length === 0) throw new PropsError(`${me}: 'keys' is empty; list the keys the Secret must hold, e.g. ["password"]`);
    const all = [...props.keys, ...Object.keys(props.templates ?? {})];
    const bad = all.find((k) => !matches(DATA_KEY, k));
    if (bad !== undefined) throw new PropsError(`${me}: key '${bad}' is not valid: expected ${DATA_KEY.expected}`);
    const twice = all.find((k, i) => all.indexOf(k) !== i);
    if (twice !== undefined) throw new PropsError(`${me}: key '${twice}' is both fetched and templated; keep one`);
    this.secretName = props.secretName;
    this.keys = all;
    const spec = props.store.source.provider === "vault" ? this.fromVault(props) : this.fromGenerator(props);
    const rotation = props.readOnce ? 0 : props.store.rotation;
    if (!props.readOnce) this.version = checksum(JSON.stringify({ spec, rotation })).slice(0, 16);
    new ApiObject(this, "external-secret", {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: props.secretName, ...(rotation ? { annotations: { [ROTATION_ANNOTATION]: String(rotation) } } : {}) },
      spec,
    });
  }

  /** A reference to one key of the provisioned Secret. */
  ref(key: string): SecretKeyRef {
    if (!this.keys.includes(key)) throw new PropsError(`ExternalSecret '${this.secretName}': it holds no key '${key}' (it holds ${this.keys.join(", ")})`);
    return { secretName: this.secretName, key, ...(this.version ? { version: this.version } : {}) };
  }

  private target(props: ExternalSecretProps, creationPolicy: "Owner" | "Orphan"): NonNullable<IExternalSecret["spec"]>["target"] {
    const templates = Object.entries(props.templates ?? {});
    return {
      name: props.secretName,
      creationPolicy,
      ...(templates.length ? { template: { engineVersion: "v2", mergePolicy: "Merge", data: Object.fromEntries(templates) } } : {}),
    };
  }

  private fromVault(props: ExternalSecretProps): IExternalSecret["spec"] {
    const remoteKey = [props.store.keyPrefix, props.remoteName ?? props.secretName].filter(Boolean).join("/");
    return {
      refreshPolicy: props.readOnce ? "CreatedOnce" : "OnChange",
      secretStoreRef: { kind: "SecretStore", name: props.store.storeName },
      target: this.target(props, "Owner"),
      data: props.keys.map((key) => ({ secretKey: key, remoteRef: { key: remoteKey, property: key, ...REMOTE_REF_DEFAULTS } })),
    };
  }

  /** Orphan: the generated value outlives this object, so data initialised with it stays reachable. */
  private fromGenerator(props: ExternalSecretProps): IExternalSecret["spec"] {
    return {
      refreshPolicy: props.readOnce ? "CreatedOnce" : "OnChange",
      target: this.target(props, "Orphan"),
      dataFrom: props.keys.map((key) => ({
        sourceRef: { generatorRef: props.store.generatorRef },
        rewrite: [{ regexp: { source: "^password$", target: key } }],
      })),
    };
  }
}
