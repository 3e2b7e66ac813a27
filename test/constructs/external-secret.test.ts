import { ExternalSecret as ExternalSecretModel } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import type { Chart } from "cdk8s";
import type { IPodSpec } from "kubernetes-models/v1";
import { ExternalSecret, urlEncoded, type ExternalSecretProps } from "../../constructs/external-secret";
import { SecretStore, type SecretStoreProps } from "../../constructs/secret-store";
import type { KubeObject } from "../../lib/kube-object";
import { buildShop, errorOf, find, objects, testChart } from "../support/chart";

const VAULT: SecretStoreProps = {
  source: { provider: "vault", server: "https://vault.example.com", path: "secret", role: "web-prod", authMountPath: "kubernetes" },
  keyPrefix: "web",
};
const GENERATOR: SecretStoreProps = { source: { provider: "generator" } };

function render(storeProps: SecretStoreProps, props: Partial<Omit<ExternalSecretProps, "store">> = {}) {
  const chart = testChart();
  const store = new SecretStore(chart, "store", storeProps);
  const secret = new ExternalSecret(chart, "external-secret", { store, secretName: "database-credentials", keys: ["password"], ...props });
  const rendered = find(objects(chart), "ExternalSecret", props.secretName ?? "database-credentials");
  return { secret, rendered };
}

/** Every Secret name a pod reads, by env, envFrom or volume. */
function secretsReadBy(pod: IPodSpec): string[] {
  const containers = [...(pod.initContainers ?? []), ...pod.containers];
  return [
    ...containers.flatMap((c) => (c.env ?? []).flatMap((v) => (v.valueFrom?.secretKeyRef?.name ? [v.valueFrom.secretKeyRef.name] : []))),
    ...containers.flatMap((c) => (c.envFrom ?? []).flatMap((e) => (e.secretRef?.name ? [e.secretRef.name] : []))),
    ...(pod.volumes ?? []).flatMap((v) => (v.secret?.secretName ? [v.secret.secretName] : [])),
  ];
}

describe("ExternalSecret", () => {
  describe("from Vault", () => {
    test("reads each key as a property of the secret at <prefix>/<secret name> when created or changed, into a Secret it owns", () => {
      const { rendered } = render(VAULT, { keys: ["password", "username"] });
      expect(rendered.apiVersion).toBe("external-secrets.io/v1");
      expect(rendered.spec).toEqual({
        refreshPolicy: "OnChange",
        secretStoreRef: { kind: "SecretStore", name: "vault" },
        target: { name: "database-credentials", creationPolicy: "Owner" },
        data: [
          { secretKey: "password", remoteRef: { key: "web/database-credentials", property: "password", conversionStrategy: "Default", decodingStrategy: "None", metadataPolicy: "None" } },
          { secretKey: "username", remoteRef: { key: "web/database-credentials", property: "username", conversionStrategy: "Default", decodingStrategy: "None", metadataPolicy: "None" } },
        ],
      });
      expect(() => new ExternalSecretModel(rendered as never).validate()).not.toThrow();
    });

    test("without a key prefix the remote key is the secret's name", () => {
      const { rendered } = render({ ...VAULT, keyPrefix: undefined });
      expect((rendered.spec as { data: { remoteRef: { key: string } }[] }).data[0]?.remoteRef.key).toBe("database-credentials");
    });

    test("remoteName reads another secret of the folder", () => {
      const { rendered } = render(VAULT, { secretName: "database-superuser", remoteName: "database-credentials", keys: ["superuser-password"] });
      expect((rendered.spec as { data: unknown[] }).data).toEqual([
        { secretKey: "superuser-password", remoteRef: { key: "web/database-credentials", property: "superuser-password", conversionStrategy: "Default", decodingStrategy: "None", metadataPolicy: "None" } },
      ]);
    });

    test("a read-once secret is read when first created and never again", () => {
      expect(render(VAULT, { readOnce: true }).rendered.spec).toMatchObject({ refreshPolicy: "CreatedOnce" });
    });
  });

  describe("from the Password generator", () => {
    test("generates each key when created or changed, like Vault's are read, and leaves the Secret behind when removed", () => {
      const { rendered } = render(GENERATOR, { keys: ["password", "replication-password"] });
      const generatorRef = { apiVersion: "generators.external-secrets.io/v1alpha1", kind: "Password", name: "password" };
      expect(rendered.spec).toEqual({
        refreshPolicy: "OnChange",
        target: { name: "database-credentials", creationPolicy: "Orphan" },
        dataFrom: [
          { sourceRef: { generatorRef }, rewrite: [{ regexp: { source: "^password$", target: "password" } }] },
          { sourceRef: { generatorRef }, rewrite: [{ regexp: { source: "^password$", target: "replication-password" } }] },
        ],
      });
      expect(() => new ExternalSecretModel(rendered as never).validate()).not.toThrow();
    });

    test("a read-once secret is generated once: a database initialised with a password must keep it", () => {
      expect(render(GENERATOR, { readOnce: true }).rendered.spec).toMatchObject({ refreshPolicy: "CreatedOnce" });
    });
  });

  describe("rotation", () => {
    test.each([
      ["Vault", VAULT],
      ["the generator", GENERATOR],
    ])("with %s, bumping the store's rotation annotates the ExternalSecret, so External Secrets reads or generates its values again", (_, store) => {
      expect(render(store).rendered.metadata.annotations).toBeUndefined();
      expect(render({ ...store, rotation: 2 }).rendered.metadata.annotations).toEqual({ "slipway.dev/rotation": "2" });
    });

    test("references carry a version that changes with the rotation and the spec, so the pods reading them roll", () => {
      const version = (store: SecretStoreProps, props: Partial<ExternalSecretProps> = {}) => render(store, props).secret.ref("password").version;
      expect(version(VAULT)).toMatch(/^[0-9a-f]{16}$/);
      expect(version(VAULT)).toBe(version(VAULT));
      expect(version({ ...VAULT, rotation: 1 })).not.toBe(version(VAULT));
      expect(version(VAULT, { keys: ["password", "username"] })).not.toBe(version(VAULT));
    });

    test("a read-once secret is never rotated and its references carry no version", () => {
      const { rendered, secret } = render({ ...VAULT, rotation: 3 }, { readOnce: true });
      expect(rendered.metadata.annotations).toBeUndefined();
      expect(secret.ref("password")).toEqual({ secretName: "database-credentials", key: "password" });
    });

    test("the store refuses a rotation that is no count", () => {
      expect(errorOf(() => render({ ...VAULT, rotation: -1 }))).toBe("SecretStore 'store': 'rotation' must be an integer ≥ 0 (got -1)");
    });
  });

  test("the ExternalSecret is named after its Secret, and hands out references to its keys", () => {
    const { secret } = render(VAULT, { secretName: "api-secrets", keys: ["secret-key"] });
    expect(secret.secretName).toBe("api-secrets");
    expect(secret.ref("secret-key")).toEqual({ secretName: "api-secrets", key: "secret-key", version: secret.version });
    expect(errorOf(() => secret.ref("password"))).toBe("ExternalSecret 'api-secrets': it holds no key 'password' (it holds secret-key)");
  });

  describe("templates", () => {
    test("compute more keys from the fetched ones with the v2 engine, merged with them into the Secret", () => {
      const { rendered, secret } = render(VAULT, { templates: { url: `postgresql://app:${urlEncoded("password")}@database:5432/app` } });
      expect((rendered.spec as { target: unknown }).target).toEqual({
        name: "database-credentials",
        creationPolicy: "Owner",
        template: { engineVersion: "v2", mergePolicy: "Merge", data: { url: 'postgresql://app:{{ .password | urlquery | replace "+" "%20" }}@database:5432/app' } },
      });
      expect(secret.ref("url")).toMatchObject({ secretName: "database-credentials", key: "url" });
      expect(() => new ExternalSecretModel(rendered as never).validate()).not.toThrow();
    });

    test("work on generated values too: the generated password and the URL built from it land in one Secret", () => {
      const { rendered } = render(GENERATOR, { templates: { url: `redis://:${urlEncoded("password")}@cache:6379/0` } });
      expect((rendered.spec as { target: unknown }).target).toMatchObject({ creationPolicy: "Orphan", template: { data: { url: 'redis://:{{ .password | urlquery | replace "+" "%20" }}@cache:6379/0' } } });
    });

    test("refuse a templated key that is also fetched", () => {
      expect(errorOf(() => render(VAULT, { templates: { password: "x" } }))).toBe("ExternalSecret 'database-credentials': key 'password' is both fetched and templated; keep one");
    });
  });

  describe("validation", () => {
    test("refuses an empty key list", () => {
      expect(errorOf(() => render(VAULT, { secretName: "api-secrets", keys: [] }))).toBe(
        `ExternalSecret 'api-secrets': 'keys' is empty; list the keys the Secret must hold, e.g. ["password"]`,
      );
    });

    test("refuses a key a Secret cannot hold", () => {
      expect(errorOf(() => render(VAULT, { secretName: "api-secrets", keys: ["secret-key", "secret key"] }))).toBe(
        "ExternalSecret 'api-secrets': key 'secret key' is not valid: expected a Secret or ConfigMap key (letters, digits, '-', '_' and '.')",
      );
    });

    test.each(["password", "tls.crt", "SECRET_KEY", "api-token"])("accepts the key '%s'", (key) => {
      expect(() => render(VAULT, { keys: [key] })).not.toThrow();
    });
  });
});

describe("secrets are never rendered", () => {
  const shop = (secrets: "vault" | "generator"): KubeObject[] => {
    const chart: Chart = testChart();
    buildShop(chart, { secrets });
    return objects(chart);
  };

  test.each(["vault", "generator"] as const)("with %s secrets, no object is a Secret, none carries stringData, and only ConfigMaps carry data", (secrets) => {
    const all = shop(secrets);
    expect(all.filter((o) => o.kind === "Secret")).toEqual([]);
    expect(all.filter((o) => "stringData" in o)).toEqual([]);
    expect([...new Set(all.filter((o) => "data" in o).map((o) => o.kind))]).toEqual(["ConfigMap"]);
  });

  test.each(["vault", "generator"] as const)("with %s secrets, every Secret a pod reads is the target of an ExternalSecret", (secrets) => {
    const all = shop(secrets);
    const provisioned = all
      .filter((o) => o.kind === "ExternalSecret")
      .map((o) => (o.spec as { target: { name: string } }).target.name)
      .sort();
    const pods = all.flatMap((o) => {
      const spec = o.spec as { template?: { spec?: IPodSpec }; jobTemplate?: { spec?: { template?: { spec?: IPodSpec } } } };
      const pod = spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec;
      return pod ? [pod] : [];
    });
    const read = [...new Set(pods.flatMap(secretsReadBy))].sort();
    expect(read).toEqual(["cache-credentials", "database-credentials", "database-superuser"]);
    expect(provisioned).toEqual(read);
  });
});
