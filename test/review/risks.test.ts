import type { KubeObject } from "../../lib/kube-object";
import { findRisks } from "../../review/risks";
import { diffTrees } from "../../review/semantic-diff";

const DIGEST = `sha256:${"a".repeat(64)}`;

/** The risk messages of changing `before` into `after` in prod/shop (an existing stack), for an environment that pins digests or not. */
function risksOf(before: KubeObject[], after: KubeObject[], requiresDigests = false): string[] {
  const diffs = diffTrees([{ path: "prod/shop/a.yaml", objects: before }], [{ path: "prod/shop/a.yaml", objects: after }]);
  return findRisks(diffs, () => requiresDigests).map((r) => `${r.kind} ${r.name}: ${r.message}`);
}

const meta = (name: string) => ({ name, namespace: "shop" });
const pvc = (size: string, storageClassName?: string): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: meta("backup"),
  spec: { resources: { requests: { storage: size } }, ...(storageClassName ? { storageClassName } : {}) },
});
const statefulSet = (size: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: meta("database"),
  spec: { replicas: 1, volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: size } }, ...extra } }] },
});
const restricted = { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } };
const deployment = (container: Record<string, unknown>, pod: Record<string, unknown> = {}, replicas = 2): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: meta("api"),
  spec: { replicas, template: { spec: { automountServiceAccountToken: false, ...pod, containers: [{ name: "api", image: `ghcr.io/acme/api:1.4.2@${DIGEST}`, ...container }] } } },
});
const policy = (ingress: unknown[], policyTypes = ["Ingress", "Egress"]): KubeObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: meta("api"),
  spec: { podSelector: { matchLabels: { app: "api" } }, policyTypes, ingress },
});
const fromProxy = { from: [{ podSelector: { matchLabels: { app: "proxy" } } }], ports: [{ port: 8000, protocol: "TCP" }] };
const ingress = (hosts: string[]): KubeObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: meta("proxy"),
  spec: { rules: hosts.map((host) => ({ host })), tls: [{ hosts, secretName: "tls" }] },
});

describe("risky changes", () => {
  test("a removed or shrunk volume claim, or one that changes storage class", () => {
    expect(risksOf([pvc("200Gi")], [])).toEqual(["PersistentVolumeClaim backup: removed: a volume that holds data (Argo CD prunes it unless it is annotated Prune=false)"]);
    expect(risksOf([pvc("200Gi", "fast-ssd")], [pvc("100Gi", "standard")])).toEqual([
      "PersistentVolumeClaim backup: storage shrinks 200Gi → 100Gi: Kubernetes cannot shrink a volume",
      "PersistentVolumeClaim backup: storage class fast-ssd → standard: a bound claim keeps its class; a new claim starts empty",
    ]);
    expect(risksOf([pvc("100Gi")], [pvc("1Ti")])).toEqual([]);
  });

  test("a removed StatefulSet, and any change to its immutable volumeClaimTemplates", () => {
    expect(risksOf([statefulSet("10Gi")], [])).toEqual(["StatefulSet database: removed: a workload that holds data (volume claims: data)"]);
    expect(risksOf([statefulSet("10Gi")], [statefulSet("5Gi")])).toEqual([
      "StatefulSet database: volumeClaimTemplates[data]: storage shrinks 10Gi → 5Gi: Kubernetes cannot shrink a volume",
    ]);
    expect(risksOf([statefulSet("10Gi")], [statefulSet("20Gi")])).toEqual([
      "StatefulSet database: volumeClaimTemplates[data] changed: the field is immutable, the sync fails until the StatefulSet is recreated",
    ]);
    expect(risksOf([statefulSet("10Gi")], [statefulSet("10Gi", { storageClassName: "fast" })])).toEqual([
      "StatefulSet database: volumeClaimTemplates[data]: storage class (cluster default) → fast: a bound claim keeps its class; a new claim starts empty",
    ]);
  });

  test("replicas scaled to zero", () => {
    expect(risksOf([deployment({})], [deployment({}, {}, 0)])).toEqual(["Deployment api: replicas 2 → 0: no pods will run"]);
    expect(risksOf([deployment({})], [deployment({}, {}, 3)])).toEqual([]);
  });

  test("a security context loosened, field by field, the pod's settings counting for its containers", () => {
    const before = deployment({ securityContext: restricted });
    const after = deployment(
      { securityContext: { ...restricted, allowPrivilegeEscalation: true, readOnlyRootFilesystem: false, runAsNonRoot: undefined, capabilities: { add: ["NET_ADMIN"] }, seccompProfile: { type: "Unconfined" } } },
      { hostNetwork: true, automountServiceAccountToken: true, securityContext: { runAsUser: 0 } },
    );
    expect(risksOf([before], [after])).toEqual([
      "Deployment api: securityContext loosened: pod: hostNetwork (unset) → true",
      "Deployment api: securityContext loosened: pod: automountServiceAccountToken false → true",
      "Deployment api: securityContext loosened: container 'api': runAsNonRoot true → (unset)",
      "Deployment api: securityContext loosened: container 'api': runAsUser (unset) → 0",
      "Deployment api: securityContext loosened: container 'api': allowPrivilegeEscalation false → true",
      "Deployment api: securityContext loosened: container 'api': readOnlyRootFilesystem true → false",
      'Deployment api: securityContext loosened: container \'api\': seccompProfile.type "RuntimeDefault" → "Unconfined"',
      "Deployment api: securityContext loosened: container 'api': capabilities.drop no longer includes ALL",
      "Deployment api: securityContext loosened: container 'api': capabilities.add gains NET_ADMIN",
    ]);
    expect(risksOf([deployment({})], [deployment({ securityContext: restricted })])).toEqual([]);
  });

  test("a NetworkPolicy that allows more: a new peer or port, a rule without peers, a lost policy type, a removed policy", () => {
    const fromFrontend = { from: [{ podSelector: { matchLabels: { app: "frontend" } } }], ports: [{ port: 8000, protocol: "TCP" }] };
    expect(risksOf([policy([fromProxy])], [policy([fromProxy, fromFrontend])])).toEqual([
      "NetworkPolicy api: widened: now allows ingress from pods app=frontend on TCP/8000",
    ]);
    expect(risksOf([policy([fromProxy])], [policy([{ ports: fromProxy.ports }])])).toEqual([
      "NetworkPolicy api: widened: now allows ingress from anywhere on TCP/8000",
    ]);
    expect(risksOf([policy([fromProxy])], [policy([fromProxy], ["Ingress"])])).toEqual([
      "NetworkPolicy api: policyTypes no longer include Egress: that direction is no longer restricted by it",
    ]);
    expect(risksOf([policy([fromProxy])], [])).toEqual(["NetworkPolicy api: removed: the pods it selected lose its isolation unless another policy selects them"]);
    const dns = { to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }, { ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } }], ports: [{ port: 53, protocol: "UDP" }] };
    expect(risksOf([policy([fromProxy])], [{ ...policy([fromProxy]), spec: { ...policy([fromProxy]).spec as object, egress: [dns] } }])).toEqual([
      "NetworkPolicy api: widened: now allows egress to 10.0.0.0/8 except 10.1.0.0/16 on UDP/53; egress to pods k8s-app=kube-dns in namespaces kubernetes.io/metadata.name=kube-system on UDP/53",
    ]);
    expect(risksOf([policy([fromProxy, fromFrontend])], [policy([fromProxy])])).toEqual([]);
  });

  test("Ingress hosts that change or stop being served", () => {
    expect(risksOf([ingress(["shop.example.com", "www.shop.example.com"])], [ingress(["shop.example.com"])])).toEqual([
      "Ingress proxy: hosts shop.example.com, www.shop.example.com → shop.example.com",
    ]);
    expect(risksOf([ingress(["shop.example.com"])], [])).toEqual(["Ingress proxy: removed: stops serving shop.example.com"]);
  });

  test("an image without a digest where the environment pins digests", () => {
    const tagOnly = deployment({ image: "ghcr.io/acme/api:1.5.0" });
    expect(risksOf([deployment({})], [tagOnly], true)).toEqual([
      "Deployment api: container 'api': image ghcr.io/acme/api:1.5.0 has no digest, but this environment pins images by digest (policy.requireImageDigests)",
    ]);
    expect(risksOf([deployment({})], [tagOnly], false)).toEqual([]);
  });

  test("the objects of a new stack are not risky for being new", () => {
    const diffs = diffTrees([], [{ path: "prod/blog/a.yaml", objects: [policy([{ ports: fromProxy.ports }]), ingress(["blog.example.com"])] }]);
    expect(findRisks(diffs, () => false)).toEqual([]);
  });
});
