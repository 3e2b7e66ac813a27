/**
 * sync-wave-order beyond its fixtures: the waves and phases Argo CD reads (gitops-engine's syncwaves.Wave
 * and hook types), and where each finding points.
 */
import { checkObjects, lines } from "./support";

const meta = (name: string, annotations: Record<string, string> = {}) => ({ name, namespace: "shop", annotations });
const claim = (name: string, annotations: Record<string, string> = {}) => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: meta(name, annotations),
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
});
const pod = (claimName?: string) => ({
  ...(claimName ? { volumes: [{ name: "data", persistentVolumeClaim: { claimName } }] } : {}),
  restartPolicy: "Never",
  containers: [{ name: "main", image: "tool:1.0.0" }],
});
const job = (name: string, annotations: Record<string, string>, claimName?: string) => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: meta(name, annotations),
  spec: { template: { spec: pod(claimName) } },
});
const cronJob = (name: string, annotations: Record<string, string>, claimName?: string) => ({
  apiVersion: "batch/v1",
  kind: "CronJob",
  metadata: meta(name, annotations),
  spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec: { ...pod(claimName), restartPolicy: "OnFailure" } } } } },
});
const deployment = (name: string, annotations: Record<string, string>, labels: Record<string, string> = { app: name }) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: meta(name, annotations),
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: `${name}:1.0.0` }] } } },
});
const wave = (n: number) => ({ "argocd.argoproj.io/sync-wave": String(n) });

const findings = async (objects: unknown[]) => lines((await checkObjects(objects)).findings, "sync-wave-order");

describe("sync-wave-order", () => {
  test("a claim only a CronJob uses belongs in the folder's last wave, named with the fix", async () => {
    expect(await findings([claim("database-backup"), cronJob("database-backup", wave(4), "database-backup"), deployment("frontend", wave(5))])).toEqual([
      `PersistentVolumeClaim/database-backup: metadata.annotations["argocd.argoproj.io/sync-wave"]: in wave 0 but only CronJob 'database-backup' uses it, and that starts no pod when it syncs: on WaitForFirstConsumer storage the claim stays Pending until a pod uses it, and Argo CD counts a Pending claim as Progressing and waits for it before any later wave; move it to the last wave (5) with argocd.argoproj.io/sync-wave: "5"`,
    ]);
  });

  test("a claim a Job uses syncs in the Job's wave: the Job's pod binds it", async () => {
    expect(await findings([claim("import", wave(1)), job("import", wave(1), "import"), deployment("api", wave(2))])).toEqual([]);
  });

  test("a claim no workload uses is Pending for good, so it belongs in the last wave too", async () => {
    expect(await findings([claim("spare"), deployment("api", wave(2))])).toEqual([
      `PersistentVolumeClaim/spare: metadata.annotations["argocd.argoproj.io/sync-wave"]: in wave 0 but no workload in namespace 'shop' uses it: on WaitForFirstConsumer storage the claim stays Pending until a pod uses it, and Argo CD counts a Pending claim as Progressing and waits for it before any later wave; move it to the last wave (2) with argocd.argoproj.io/sync-wave: "2"`,
    ]);
  });

  test("a PreSync hook runs before the Namespace it lives in: the finding is on the hook, and asks for a Sync hook", async () => {
    const namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", annotations: wave(-3) } };
    expect(await findings([namespace, job("migrate", { "argocd.argoproj.io/hook": "PreSync" })])).toEqual([
      `Job/migrate: metadata.annotations["argocd.argoproj.io/hook"]: in the PreSync phase (wave 0), before Namespace 'shop' (wave -3): nothing can be created in a namespace before it exists; make it a Sync hook (argocd.argoproj.io/hook: Sync) in wave -3 or later`,
    ]);
  });

  test("Helm hooks and weights count as Argo CD reads them: pre-install is PreSync, the weight is the wave", async () => {
    const config = { apiVersion: "v1", kind: "ConfigMap", metadata: meta("settings"), data: { A: "1" } };
    const helmJob = job("init", { "helm.sh/hook": "pre-install,pre-upgrade", "helm.sh/hook-weight": "-5" });
    helmJob.spec.template.spec.containers[0] = { ...helmJob.spec.template.spec.containers[0]!, envFrom: [{ configMapRef: { name: "settings" } }] } as never;
    expect(await findings([config, helmJob])).toEqual([
      `Job/init: metadata.annotations["argocd.argoproj.io/hook"]: in the PreSync phase (wave -5), before ConfigMap 'settings' (wave 0): a pod does not start until the ServiceAccount, ConfigMaps and Secrets it uses exist; make it a Sync hook (argocd.argoproj.io/hook: Sync) in wave 0 or later`,
    ]);
  });

  test("a long-running workload may share its server's wave but not precede it", async () => {
    const policy = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta("api"),
      spec: { podSelector: { matchLabels: { app: "api" } }, policyTypes: ["Egress"], egress: [{ to: [{ podSelector: { matchLabels: { app: "search" } } }] }] },
    };
    expect(await findings([policy, deployment("api", wave(2)), deployment("search", wave(2))])).toEqual([]);
    expect(await findings([policy, deployment("api", wave(1)), deployment("search", wave(2))])).toEqual([
      `Deployment/api: metadata.annotations["argocd.argoproj.io/sync-wave"]: in wave 1, before Deployment 'search' (wave 2): it connects to it (NetworkPolicy 'api'), and Argo CD waits for it to be healthy, which it may never be without its server; move it to wave 2 or later with argocd.argoproj.io/sync-wave: "2"`,
    ]);
  });

  test("Skip and SyncFail hooks are never applied by a sync and are not judged", async () => {
    expect(await findings([claim("scratch", { "argocd.argoproj.io/hook": "Skip" }), job("cleanup", { "argocd.argoproj.io/hook": "SyncFail" }, "scratch"), deployment("api", wave(2))])).toEqual([]);
  });
});
