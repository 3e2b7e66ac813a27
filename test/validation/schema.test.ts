/**
 * The schema pass: every object against the published schemas (kubernetes-models, @kubernetes-models/*),
 * strict about unknown fields, and an error for any kind without a schema.
 */
import { KNOWN_KINDS, checkSchema } from "../../validation/schema";
import { checkObjects, lines } from "./support";

const deployment = (spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "api", labels: { "app.kubernetes.io/name": "api", anything: "goes" }, annotations: { "example.com/free": "text" } },
  spec: {
    selector: { matchLabels: { app: "api" } },
    template: {
      metadata: { labels: { app: "api" } },
      spec: {
        nodeSelector: { "kubernetes.io/os": "linux" },
        containers: [{ name: "api", image: "api:1.0.0", resources: { limits: { memory: "256Mi" } }, ...container }],
      },
    },
    ...spec,
  },
});

async function schemaLines(...objects: unknown[]): Promise<string[]> {
  return lines((await checkObjects(objects)).findings, "schema");
}

describe("schema validation", () => {
  test("a valid Deployment with labels, annotations and maps passes", async () => {
    expect(await schemaLines(deployment())).toEqual([]);
  });

  test("a value of the wrong type is reported with what was expected and found", async () => {
    expect(await schemaLines(deployment({ replicas: "three" }))).toEqual(['Deployment/api: spec.replicas: expected integer, got "three"']);
  });

  test("a missing required field is reported at its own path", async () => {
    const noSelector = deployment();
    delete (noSelector.spec as Record<string, unknown>).selector;
    expect(await schemaLines(noSelector, deployment({}, { name: undefined }))).toEqual([
      "Deployment/api: spec.selector: required field missing",
      "Deployment/api: spec.template.spec.containers[0].name: required field missing",
    ]);
  });

  test("a value outside an enum lists the allowed values", async () => {
    const service = { apiVersion: "v1", kind: "Service", metadata: { name: "api" }, spec: { type: "Bogus", ports: [{ port: 80 }] } };
    expect(await schemaLines(service)).toEqual(['Service/api: spec.type: expected one of ClusterIP, ExternalName, LoadBalancer, NodePort, got "Bogus"']);
  });

  test("alternatives (quantities, int-or-string) give one message per field", async () => {
    const service = { apiVersion: "v1", kind: "Service", metadata: { name: "api" }, spec: { ports: [{ port: 80, targetPort: true }] } };
    expect(await schemaLines(deployment({}, { resources: { requests: { memory: "12 Gi" } } }), service)).toEqual([
      'Deployment/api: spec.template.spec.containers[0].resources.requests.memory: expected a quantity such as 512Mi or 250m, got "12 Gi"',
      "Service/api: spec.ports[0].targetPort: expected string or integer, got true",
    ]);
  });

  describe("unknown fields (what the published validators let through)", () => {
    test("a typo in a Deployment's spec, container or metadata is an unknown field", async () => {
      const typo = deployment({ replicass: 2 }, { imagePullPolicyy: "IfNotPresent" });
      (typo.metadata as Record<string, unknown>).lables = { app: "api" };
      expect(await schemaLines(typo)).toEqual([
        "Deployment/api: metadata.lables: unknown field",
        "Deployment/api: spec.replicass: unknown field",
        "Deployment/api: spec.template.spec.containers[0].imagePullPolicyy: unknown field",
      ]);
    });

    test("a typo in an Argo CD Application is an unknown field; Helm valuesObject stays free-form", async () => {
      const application = {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: { name: "web-prod", namespace: "argocd", finalizers: ["resources-finalizer.argocd.argoproj.io"] },
        spec: {
          project: "default",
          destination: { server: "https://kubernetes.default.svc", namespace: "shop" },
          source: {
            repoURL: "https://github.com/acme/slipway.git",
            targetRevision: "main",
            path: "dist/prod/web",
            helm: { valuesObject: { anything: { nested: [1, 2], deeper: { ok: true } } } },
          },
          syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptionss: ["CreateNamespace=true"] },
        },
      };
      expect(await schemaLines(application)).toEqual(["Application/web-prod: spec.syncPolicy.syncOptionss: unknown field"]);
    });

    test("a typo in an ExternalSecret and in a cert-manager Certificate is an unknown field", async () => {
      const externalSecret = {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: "database", namespace: "shop" },
        spec: {
          secretStoreRef: { name: "vault", kind: "SecretStore" },
          target: { name: "database-credentials", creationPolicyy: "Owner" },
          data: [{ secretKey: "password", remoteRef: { key: "shop/database", property: "password" } }],
        },
      };
      const certificate = {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: "api" },
        spec: { secretName: "api-tls", dnsName: ["api.shop.svc"], issuerRef: { name: "ca", kind: "ClusterIssuer" } },
      };
      expect(await schemaLines(externalSecret, certificate)).toEqual([
        "ExternalSecret/database: spec.target.creationPolicyy: unknown field",
        "Certificate/api: spec.dnsName: unknown field",
      ]);
    });

    test("fields the schema package drops (description, x-kubernetes-*) are not reported as unknown", async () => {
      const project = {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AppProject",
        metadata: { name: "web", namespace: "argocd" },
        spec: {
          description: "The web stack",
          sourceRepos: ["https://github.com/acme/slipway.git"],
          destinations: [{ server: "https://kubernetes.default.svc", namespace: "shop" }],
          syncWindows: [{ kind: "deny", schedule: "0 22 * * *", duration: "8h", applications: ["*"], description: "night freeze" }],
        },
      };
      expect(await schemaLines(project)).toEqual([]);
    });

    test("a field the API serves after the models (Argo CD 3.5's syncOverrun) is accepted where it belongs, with its type", async () => {
      const window = { kind: "deny", schedule: "0 22 * * *", duration: "8h", applications: ["*"] };
      const project = (...syncWindows: Record<string, unknown>[]) => ({
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AppProject",
        metadata: { name: "web" },
        spec: { sourceRepos: ["*"], destinations: [{ server: "https://kubernetes.default.svc", namespace: "shop" }], syncWindows },
      });
      const application = {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: { name: "web" },
        spec: { project: "web", destination: { namespace: "shop" }, syncOverrun: true },
      };
      expect(await schemaLines(project({ ...window, syncOverrun: true }, { ...window, syncOverrun: 1 }), application)).toEqual([
        "AppProject/web: spec.syncWindows[1].syncOverrun: expected boolean, got 1",
        "Application/web: spec.syncOverrun: unknown field",
      ]);
    });

    test("the Password generator of dev clusters has a schema too", async () => {
      const generator = {
        apiVersion: "generators.external-secrets.io/v1alpha1",
        kind: "Password",
        metadata: { name: "database-password", namespace: "web-dev" },
        spec: { length: 32, digits: 5, symbols: 0, noUpper: false, allowRepeat: true },
      };
      expect(await schemaLines(generator)).toEqual([]);
    });

    test("map fields (labels, annotations, ConfigMap data, limits, selectors) accept any key", async () => {
      const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "api", labels: { x: "y" } }, data: { ANY_KEY: "v", "nginx.conf": "..." } };
      expect(await schemaLines(configMap, deployment())).toEqual([]);
    });
  });

  test.each(Object.keys(KNOWN_KINDS))("the bundled import table's %s loads the schema of that kind", async (key) => {
    const slash = key.lastIndexOf("/");
    const violations = await checkSchema({ apiVersion: key.slice(0, slash), kind: key.slice(slash + 1), metadata: { name: "x" } });
    expect(violations.filter((v) => v.message.startsWith("no schema"))).toEqual([]);
  });

  describe("objects without a schema are errors, not silent passes", () => {
    test("an unknown group or kind", async () => {
      const widget = { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } };
      const typo = { ...deployment(), kind: "Deploymnet" };
      const subType = { apiVersion: "apps/v1", kind: "DeploymentSpec", metadata: { name: "x" } };
      expect(await schemaLines(widget, typo, subType)).toEqual([
        "Widget/w: apiVersion: no schema for example.com/v1/Widget",
        "Deploymnet/api: apiVersion: no schema for apps/v1/Deploymnet",
        "DeploymentSpec/x: apiVersion: no schema for apps/v1/DeploymentSpec",
      ]);
    });

    test("an API version clusters no longer serve, although a package still ships its schema", async () => {
      const old = { ...deployment(), apiVersion: "extensions/v1beta1" };
      const eso = { apiVersion: "external-secrets.io/v1beta1", kind: "ExternalSecret", metadata: { name: "db" }, spec: {} };
      const psp = { apiVersion: "policy/v1beta1", kind: "PodSecurityPolicy", metadata: { name: "restricted" }, spec: {} };
      expect(await schemaLines(old, eso, psp)).toEqual([
        "Deployment/api: apiVersion: no schema for extensions/v1beta1/Deployment: this API version is no longer served; use apps/v1",
        "ExternalSecret/db: apiVersion: no schema for external-secrets.io/v1beta1/ExternalSecret: this API version is no longer served; use external-secrets.io/v1",
        "PodSecurityPolicy/restricted: apiVersion: no schema for policy/v1beta1/PodSecurityPolicy: PodSecurityPolicy has been removed from Kubernetes; use Pod Security admission",
      ]);
    });

    test("documents that are not objects, or lack apiVersion, kind or name", async () => {
      expect(await schemaLines("just a string", { kind: "ConfigMap", metadata: { name: "a" } }, { apiVersion: "v1", kind: "ConfigMap", metadata: {} })).toEqual([
        '<no kind>/<no name>: : expected a Kubernetes object (a mapping with apiVersion and kind), got "just a string"',
        "ConfigMap/a: apiVersion: expected a string such as apps/v1, got nothing",
        "ConfigMap/<no name>: metadata.name: required field missing",
      ]);
    });
  });
});
