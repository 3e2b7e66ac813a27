import { SecretStore as SecretStoreModel } from "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore";
import { Password as PasswordModel } from "@kubernetes-models/external-secrets/generators.external-secrets.io/v1alpha1/Password";
import type { IServiceAccount } from "kubernetes-models/v1";
import { SecretStore, type SecretStoreProps, type VaultStore } from "../../constructs/secret-store";
import { errorOf, find, kindsAndNames, objects, testChart } from "../support/chart";

const VAULT: VaultStore = {
  provider: "vault",
  server: "https://vault.example.com",
  path: "secret",
  role: "web-prod",
  authMountPath: "kubernetes",
};

function render(props: SecretStoreProps) {
  const chart = testChart();
  const store = new SecretStore(chart, "store", props);
  return { store, all: objects(chart) };
}

describe("SecretStore", () => {
  describe("vault", () => {
    test("renders the secret-store ServiceAccount and the SecretStore 'vault'", () => {
      expect(kindsAndNames(render({ source: VAULT }).all)).toEqual(["ServiceAccount/secret-store", "SecretStore/vault"]);
    });

    test("reads KV v2 at the path, logging in with the namespace's secret-store ServiceAccount and the Vault role", () => {
      const store = find(render({ source: VAULT }).all, "SecretStore", "vault");
      expect(store.apiVersion).toBe("external-secrets.io/v1");
      expect(store.spec).toEqual({
        provider: {
          vault: {
            server: "https://vault.example.com",
            path: "secret",
            version: "v2",
            auth: { kubernetes: { mountPath: "kubernetes", role: "web-prod", serviceAccountRef: { name: "secret-store" } } },
          },
        },
      });
      expect(() => new SecretStoreModel(store as never).validate()).not.toThrow();
    });

    test("the ServiceAccount mounts no token: External Secrets requests its own for the Vault login", () => {
      const account = find<IServiceAccount>(render({ source: VAULT }).all, "ServiceAccount", "secret-store");
      expect(account.automountServiceAccountToken).toBe(false);
      expect(account.metadata?.labels).toMatchObject({ "app.kubernetes.io/name": "secret-store" });
    });

    test("ExternalSecrets refer to it as 'vault', under no key prefix by default", () => {
      const { store } = render({ source: VAULT });
      expect(store.storeName).toBe("vault");
      expect(store.keyPrefix).toBe("");
      expect(render({ source: VAULT, keyPrefix: "web" }).store.keyPrefix).toBe("web");
    });

    test("refuses a server that is not a URL", () => {
      expect(errorOf(() => render({ source: { ...VAULT, server: "vault.example.com" } }))).toBe(
        "SecretStore 'store': 'server' must be the Vault URL, e.g. https://vault.example.com (got 'vault.example.com')",
      );
    });

    test("accepts a plain-http Vault (a dev vault in the cluster)", () => {
      expect(() => render({ source: { ...VAULT, server: "http://vault.vault.svc:8200" } })).not.toThrow();
    });
  });

  describe("generator", () => {
    test("renders only the Password generator 'password'", () => {
      expect(kindsAndNames(render({ source: { provider: "generator" } }).all)).toEqual(["Password/password"]);
    });

    test("generates 32 letters and digits, no symbols, as passwords end up in connection URLs", () => {
      const password = find(render({ source: { provider: "generator" } }).all, "Password", "password");
      expect(password.apiVersion).toBe("generators.external-secrets.io/v1alpha1");
      expect(password.metadata.labels).toMatchObject({ "app.kubernetes.io/name": "secret-store" });
      expect(password.spec).toEqual({ length: 32, digits: 6, symbols: 0, noUpper: false, allowRepeat: true });
      expect(() => new PasswordModel(password as never).validate()).not.toThrow();
    });

    test("ExternalSecrets refer to it by a generatorRef", () => {
      const { store } = render({ source: { provider: "generator" } });
      expect(store.storeName).toBe("password");
      expect(store.generatorRef).toEqual({ apiVersion: "generators.external-secrets.io/v1alpha1", kind: "Password", name: "password" });
    });
  });
});
