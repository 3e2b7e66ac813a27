/**
 * A cert-manager Certificate for a service's in-cluster names (`api`, `api.<namespace>.svc`, …) or public
 * host names, issued by the issuer the environment names (a Vault PKI or CA issuer for in-cluster names, an
 * ACME one for public names), its key pair kept in a Secret a workload mounts.
 *
 * Its sync wave follows its use: a certificate no pod mounts syncs last, since it is healthy only once the
 * issuer has signed it and nothing may wait for that; a certificate a workload mounts syncs with the
 * secrets, before every workload, because the kubelet cannot start a pod whose Secret volume does not
 * exist yet, and Argo CD would wait on that pod for ever.
 */
import { ApiObject, Chart } from "cdk8s";
import { Construct } from "constructs";
import type { ICertificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import { goDurationMs } from "../lib/duration";
import { PropsError } from "../lib/errors";
import { DNS_LABEL, DNS_SUBDOMAIN, GO_DURATION, HOSTNAME, matches } from "../lib/formats";
import { componentLabels } from "./lib/labels";
import { setRole } from "./lib/roles";
import type { Mount } from "./lib/volumes";
import type { TlsIssuer } from "./proxy";

/** What the certificate's key may be used for, besides signing (which every key does). */
export type CertificateUsage = "server auth" | "client auth";

/** The files of the Secret cert-manager writes. `ca.crt` is there only for issuers that know their CA (Vault, CA). */
export type CertificateFile = "tls.crt" | "tls.key" | "ca.crt";

export interface CertificateProps {
  /** The cert-manager Issuer or ClusterIssuer that signs it. */
  readonly issuer: TlsIssuer;
  /**
   * Services (by name: a component's name is its Service's) whose in-cluster names it covers: `<name>`,
   * `<name>.<namespace>`, `<name>.<namespace>.svc` and `<name>.<namespace>.svc.cluster.local`. Names, so
   * the certificate can exist before the component that mounts it.
   * @default []
   */
  readonly services?: readonly string[];
  /**
   * More DNS names, e.g. public host names.
   * @default []
   */
  readonly dnsNames?: readonly string[];
  /**
   * Name of the Secret cert-manager writes the key pair to.
   * @default "<id>-tls"
   */
  readonly secretName?: string;
  /**
   * How long a certificate is valid, as a Go duration.
   * @default "2160h" (90 days)
   */
  readonly duration?: string;
  /**
   * How long before expiry cert-manager renews it; must be shorter than `duration`.
   * @default "720h" (30 days)
   */
  readonly renewBefore?: string;
  /**
   * What the key may be used for: serving TLS, authenticating as a client (mutual TLS), or both.
   * @default ["server auth", "client auth"]
   */
  readonly usages?: readonly CertificateUsage[];
}

const DEFAULTS = {
  duration: "2160h",
  renewBefore: "720h",
  usages: ["server auth", "client auth"] as readonly CertificateUsage[],
} as const;

/** cert-manager refuses shorter certificates. */
const MIN_DURATION_MS = 3600e3;
const FILES: readonly CertificateFile[] = ["tls.crt", "tls.key", "ca.crt"];

export class Certificate extends Construct {
  static readonly defaults = DEFAULTS;
  readonly description: string;
  readonly secretName: string;
  readonly dnsNames: readonly string[];
  private mounted = false;

  constructor(scope: Construct, id: string, props: CertificateProps) {
    super(scope, id);
    const me = (this.description = `Certificate '${id}'`);
    if (!matches(DNS_LABEL, id)) throw new PropsError(`${me}: the id names the Certificate, so it must be ${DNS_LABEL.expected}`);
    this.secretName = props.secretName ?? `${id}-tls`;
    if (!matches(DNS_SUBDOMAIN, this.secretName)) throw new PropsError(`${me}: 'secretName' must be ${DNS_SUBDOMAIN.expected} (got '${this.secretName}')`);
    const namespace = Chart.of(this).namespace;
    const services = props.services ?? [];
    if (services.length && !namespace) throw new PropsError(`${me}: the chart has no namespace; in-cluster names need one`);
    const badService = services.find((s) => !matches(DNS_LABEL, s));
    if (badService !== undefined) throw new PropsError(`${me}: service '${badService}' is not a Service name: expected ${DNS_LABEL.expected}`);
    this.dnsNames = [
      ...services.flatMap((s) => [s, `${s}.${namespace}`, `${s}.${namespace}.svc`, `${s}.${namespace}.svc.cluster.local`]),
      ...(props.dnsNames ?? []),
    ];
    if (this.dnsNames.length === 0) throw new PropsError(`${me}: it names no DNS name; give 'services' or 'dnsNames'`);
    const bad = (props.dnsNames ?? []).find((n) => !matches(HOSTNAME, n));
    if (bad !== undefined) throw new PropsError(`${me}: DNS name '${bad}' is not valid: expected ${HOSTNAME.expected}`);
    const twice = this.dnsNames.find((n, i) => this.dnsNames.indexOf(n) !== i);
    if (twice !== undefined) throw new PropsError(`${me}: DNS name '${twice}' is listed twice; keep one`);
    const duration = props.duration ?? DEFAULTS.duration;
    const renewBefore = props.renewBefore ?? DEFAULTS.renewBefore;
    for (const [field, value] of [["duration", duration], ["renewBefore", renewBefore]] as const) {
      if (!matches(GO_DURATION, value)) throw new PropsError(`${me}: '${field}' must be ${GO_DURATION.expected} (got '${value}')`);
    }
    if (goDurationMs(duration) < MIN_DURATION_MS) throw new PropsError(`${me}: 'duration' must be at least 1h, as cert-manager requires (got '${duration}')`);
    if (goDurationMs(renewBefore) >= goDurationMs(duration)) {
      throw new PropsError(`${me}: 'renewBefore' ${renewBefore} must be shorter than 'duration' ${duration}, or the certificate is renewed as soon as it is issued`);
    }
    const usages = props.usages ?? DEFAULTS.usages;
    if (usages.length === 0) throw new PropsError(`${me}: 'usages' is empty; give "server auth", "client auth" or both`);

    const spec: ICertificate["spec"] = {
      secretName: this.secretName,
      issuerRef: { group: "cert-manager.io", kind: props.issuer.kind, name: props.issuer.name },
      dnsNames: [...this.dnsNames],
      duration,
      renewBefore,
      // ECDSA keys sign; only RSA keys encipher, so no "key encipherment".
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      usages: ["digital signature", ...usages],
    };
    const certificate = new ApiObject(this, "certificate", {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: id, labels: componentLabels(id, "certificate") },
      spec,
    });
    setRole(certificate, () => (this.mounted ? "secrets" : "last"));
  }

  /**
   * The Secret's files as a volume for a workload's `volumes` (e.g. `{ "/etc/tls": certificate.volume() }`):
   * the certificate then syncs before every workload.
   */
  volume(files: readonly CertificateFile[] = ["tls.crt", "tls.key"]): Mount {
    const unknown = files.find((f) => !FILES.includes(f));
    if (unknown !== undefined || files.length === 0) {
      throw new PropsError(`${this.description}: its Secret holds ${FILES.join(", ")}; mount some of them (got ${files.length ? `'${unknown}'` : "none"})`);
    }
    this.mounted = true;
    return { secret: this.secretName, items: files };
  }
}
