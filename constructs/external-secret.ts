/**
 * A Kubernetes Secret provisioned by External Secrets: the workload references the Secret by name, the
 * value comes from the store at runtime, and git only ever holds the reference.
 */
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import type { IExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import type { SecretStore } from "./secret-store";

export interface ExternalSecretProps {
  readonly store: SecretStore;
  /** Name of the Secret created in the namespace (and of this ExternalSecret). */
  readonly secretName: string;
  /** Keys the Secret holds, e.g. `["password"]`. */
  readonly keys: readonly string[];
  /**
   * How often values are re-read from Vault. Generated values are created once and never rotated:
   * a database initialised with a password must keep it.
   * @default 1h
   */
  readonly refreshInterval?: string;
}

const KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * What External Secrets' CRD defaults in every `data[].remoteRef`, stated as it defaults them: `data` is an
 * atomic list, so a diff that merges the desired list into the live one without the CRD's defaults (Argo CD
 * with ServerSideApply=true) would otherwise see the defaulted fields as drift forever (docs/argocd.md).
 */
const REMOTE_REF_DEFAULTS = { conversionStrategy: "Default", decodingStrategy: "None", metadataPolicy: "None" } as const;

/** A Secret's reference as a workload uses it. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

export class ExternalSecret extends Construct {
  readonly secretName: string;

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    if (props.keys.length === 0) {
      throw new Error(`ExternalSecret '${props.secretName}': 'keys' is empty; list the keys the Secret must hold, e.g. ["password"]`);
    }
    const bad = props.keys.find((k) => !KEY.test(k));
    if (bad !== undefined) {
      throw new Error(`ExternalSecret '${props.secretName}': key '${bad}' is not a valid Secret key (letters, digits, '-', '_', '.')`);
    }
    this.secretName = props.secretName;
    const spec: IExternalSecret["spec"] =
      props.store.source.provider === "vault" ? this.fromVault(props) : this.fromGenerator(props);
    new ApiObject(this, "external-secret", {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: props.secretName },
      spec,
    });
  }

  /** A reference to one key of the provisioned Secret. */
  ref(key: string): SecretKeyRef {
    return { name: this.secretName, key };
  }

  private fromVault(props: ExternalSecretProps): IExternalSecret["spec"] {
    const remoteKey = [props.store.keyPrefix, props.secretName].filter(Boolean).join("/");
    return {
      refreshInterval: props.refreshInterval ?? "1h",
      secretStoreRef: { kind: "SecretStore", name: props.store.storeName },
      target: { name: props.secretName, creationPolicy: "Owner" },
      data: props.keys.map((key) => ({ secretKey: key, remoteRef: { key: remoteKey, property: key, ...REMOTE_REF_DEFAULTS } })),
    };
  }

  /** Orphan: the generated value outlives this object, so data initialised with it stays reachable. */
  private fromGenerator(props: ExternalSecretProps): IExternalSecret["spec"] {
    return {
      refreshPolicy: "CreatedOnce",
      target: { name: props.secretName, creationPolicy: "Orphan" },
      dataFrom: props.keys.map((key) => ({
        sourceRef: { generatorRef: props.store.generatorRef },
        rewrite: [{ regexp: { source: "^password$", target: key } }],
      })),
    };
  }
}
