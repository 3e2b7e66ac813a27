import type { IDeployment } from "kubernetes-models/apps/v1";
import { Api } from "../../constructs/api";
import { Certificate, type CertificateProps } from "../../constructs/certificate";
import { applySyncWaves, SYNC_WAVE_ANNOTATION } from "../../constructs/lib/roles";
import { checkSchema } from "../../validation/schema";
import { errorOf, find, image, objects, testChart } from "../support/chart";

const VAULT_PKI = { kind: "ClusterIssuer" as const, name: "vault-pki" };

function render(props: Partial<CertificateProps> = {}, options: { mount?: boolean } = {}) {
  const chart = testChart();
  const certificate = new Certificate(chart, "api-cert", { issuer: VAULT_PKI, services: ["api"], ...props });
  if (options.mount) new Api(chart, "client", { image: image("ghcr.io/acme/client"), volumes: { "/etc/tls": certificate.volume(["tls.crt", "tls.key", "ca.crt"]) } });
  applySyncWaves(chart);
  const all = objects(chart);
  return { chart, certificate, all, object: find<any>(all, "Certificate", "api-cert") };
}

describe("Certificate", () => {
  test("covers a service's in-cluster names, signed by the given issuer into <id>-tls, valid 90 days and renewed 30 days before expiry", () => {
    expect(render().object).toEqual({
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: {
        name: "api-cert",
        namespace: "shop",
        labels: {
          "app.kubernetes.io/component": "certificate",
          "app.kubernetes.io/instance": "web",
          "app.kubernetes.io/managed-by": "slipway",
          "app.kubernetes.io/name": "api-cert",
          "app.kubernetes.io/part-of": "web",
        },
        annotations: { [SYNC_WAVE_ANNOTATION]: "6" },
      },
      spec: {
        secretName: "api-cert-tls",
        issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: "vault-pki" },
        dnsNames: ["api", "api.shop", "api.shop.svc", "api.shop.svc.cluster.local"],
        duration: "2160h",
        renewBefore: "720h",
        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
        usages: ["digital signature", "server auth", "client auth"],
      },
    });
  });

  test("passes the published cert-manager schema, strict about unknown fields", async () => {
    expect(await checkSchema(render().object)).toEqual([]);
    expect(await checkSchema(render({ dnsNames: ["api.example.com"], issuer: { kind: "Issuer", name: "letsencrypt" }, usages: ["server auth"] }).object)).toEqual([]);
  });

  test("takes public names, its own Secret name, lifetime and usages", () => {
    const { spec } = render({ services: [], dnsNames: ["api.example.com", "*.api.example.com"], secretName: "public-tls", duration: "720h", renewBefore: "240h", usages: ["server auth"] }).object;
    expect(spec).toMatchObject({
      secretName: "public-tls",
      dnsNames: ["api.example.com", "*.api.example.com"],
      duration: "720h",
      renewBefore: "240h",
      usages: ["digital signature", "server auth"],
    });
  });

  test("no pod mounts it: syncs last, where nothing waits for the issuer", () => {
    expect(render().object.metadata.annotations[SYNC_WAVE_ANNOTATION]).toBe("6");
  });

  test("a workload mounts its Secret's files read-only, and it then syncs with the secrets, before every workload", () => {
    const { all, object } = render({}, { mount: true });
    const pod = find<IDeployment>(all, "Deployment", "client").spec!.template.spec!;
    expect(pod.volumes).toContainEqual({
      name: "etc-tls",
      secret: { secretName: "api-cert-tls", items: ["tls.crt", "tls.key", "ca.crt"].map((key) => ({ key, path: key })) },
    });
    expect(pod.containers[0]!.volumeMounts).toContainEqual({ name: "etc-tls", mountPath: "/etc/tls", readOnly: true });
    expect(object.metadata.annotations[SYNC_WAVE_ANNOTATION]).toBe("-1");
  });

  test("mounts tls.crt and tls.key unless told otherwise (ACME issuers write no ca.crt, and a missing key fails the mount)", () => {
    expect(render().certificate.volume()).toEqual({ secret: "api-cert-tls", items: ["tls.crt", "tls.key"] });
  });

  test.each<[string, Partial<CertificateProps>, string]>([
    ["no name at all", { services: [] }, "Certificate 'api-cert': it names no DNS name; give 'services' or 'dnsNames'"],
    ["a DNS name that is no host name", { dnsNames: ["API.example.com"] }, "Certificate 'api-cert': DNS name 'API.example.com' is not valid: expected a DNS host name such as app.example.com"],
    ["a name given twice", { dnsNames: ["api.shop.svc"] }, "Certificate 'api-cert': DNS name 'api.shop.svc' is listed twice; keep one"],
    ["a duration that is not Go's", { duration: "90d" }, "Certificate 'api-cert': 'duration' must be a duration such as 30s, 5m or 1h30m (got '90d')"],
    ["a duration under an hour", { duration: "30m", renewBefore: "10m" }, "Certificate 'api-cert': 'duration' must be at least 1h, as cert-manager requires (got '30m')"],
    [
      "a renewal no earlier than the expiry",
      { duration: "720h", renewBefore: "720h" },
      "Certificate 'api-cert': 'renewBefore' 720h must be shorter than 'duration' 720h, or the certificate is renewed as soon as it is issued",
    ],
    ["no usage", { usages: [] }, "Certificate 'api-cert': 'usages' is empty; give \"server auth\", \"client auth\" or both"],
    ["a service name that is no DNS label", { services: ["api.shop"] }, "Certificate 'api-cert': service 'api.shop' is not a Service name: expected a DNS label (lower-case letters, digits and '-', at most 63)"],
    ["a Secret name Kubernetes refuses", { secretName: "Api_TLS" }, "Certificate 'api-cert': 'secretName' must be a DNS subdomain (lower-case letters, digits, '-' and '.', at most 253) (got 'Api_TLS')"],
  ])("refuses %s", (_, props, message) => {
    expect(errorOf(() => render(props))).toBe(message);
  });

  test("refuses to mount a file its Secret does not hold", () => {
    expect(errorOf(() => render().certificate.volume(["tls.pem" as never]))).toBe("Certificate 'api-cert': its Secret holds tls.crt, tls.key, ca.crt; mount some of them (got 'tls.pem')");
  });
});
