/**
 * Where a stack's secrets come from, without a value in git: a namespaced External Secrets `SecretStore`
 * backed by Vault, or, for dev clusters without a vault, External Secrets' `Password` generator.
 */
import { PropsError } from "../lib/errors";
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import type { ISecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore";
import type { IPassword } from "@kubernetes-models/external-secrets/generators.external-secrets.io/v1alpha1/Password";
import { serviceAccount } from "./lib/component";

export interface VaultStore {
  readonly provider: "vault";
  /** Vault address, e.g. `https://vault.example.com`. */
  readonly server: string;
  /** KV v2 mount path, e.g. `secret`. */
  readonly path: string;
  /** Vault Kubernetes-auth role bound to this namespace's `secret-store` ServiceAccount. */
  readonly role: string;
  /** Mount path of Vault's Kubernetes auth method, e.g. `kubernetes`. */
  readonly authMountPath: string;
}

export interface GeneratorStore {
  readonly provider: "generator";
}

export interface SecretStoreProps {
  readonly source: VaultStore | GeneratorStore;
  /**
   * Prefix of every remote key in Vault: secrets live at `<path>/<prefix>/<secret name>`.
   * @default - no prefix
   */
  readonly keyPrefix?: string;
  /**
   * Bump it to rotate: every ExternalSecret of the store that is not read-once reads (or generates) its
   * values again, and the pods that use them roll onto them.
   * @default 0
   */
  readonly rotation?: number;
}

const GENERATOR = { apiVersion: "generators.external-secrets.io/v1alpha1", kind: "Password" } as const;

export class SecretStore extends Construct {
  /** Name of the SecretStore or Password generator ExternalSecrets refer to. */
  readonly storeName: string;
  readonly source: VaultStore | GeneratorStore;
  readonly keyPrefix: string;
  readonly rotation: number;

  constructor(scope: Construct, id: string, props: SecretStoreProps) {
    super(scope, id);
    this.source = props.source;
    this.keyPrefix = props.keyPrefix ?? "";
    this.rotation = props.rotation ?? 0;
    if (!Number.isInteger(this.rotation) || this.rotation < 0) throw new PropsError(`SecretStore '${id}': 'rotation' must be an integer ≥ 0 (got ${this.rotation})`);
    this.storeName = props.source.provider === "vault" ? "vault" : "password";
    if (props.source.provider === "vault") {
      if (!/^https?:\/\//.test(props.source.server)) {
        throw new PropsError(`SecretStore '${id}': 'server' must be the Vault URL, e.g. https://vault.example.com (got '${props.source.server}')`);
      }
      this.vault(props.source);
    } else {
      this.generator();
    }
  }

  private vault(source: VaultStore): void {
    const labels = { "app.kubernetes.io/name": "secret-store" };
    serviceAccount(this, "secret-store", labels);
    const spec: ISecretStore["spec"] = {
      provider: {
        vault: {
          server: source.server,
          path: source.path,
          version: "v2",
          auth: {
            kubernetes: {
              mountPath: source.authMountPath,
              role: source.role,
              serviceAccountRef: { name: "secret-store" },
            },
          },
        },
      },
    };
    new ApiObject(this, "store", {
      apiVersion: "external-secrets.io/v1",
      kind: "SecretStore",
      metadata: { name: this.storeName, labels },
      spec,
    });
  }

  /** Letters and digits only: generated passwords end up in connection URLs. */
  private generator(): void {
    const spec: IPassword["spec"] = { length: 32, digits: 6, symbols: 0, noUpper: false, allowRepeat: true };
    new ApiObject(this, "generator", {
      ...GENERATOR,
      metadata: { name: this.storeName, labels: { "app.kubernetes.io/name": "secret-store" } },
      spec,
    });
  }

  /** `secretStoreRef` or generator reference for an ExternalSecret. */
  get generatorRef() {
    return { ...GENERATOR, name: this.storeName };
  }
}
