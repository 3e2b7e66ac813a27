/**
 * The one surface every component that runs pods shares, tested on the presets that use it: command and
 * args, environment, init containers, probes, volumes, writable paths and identity.
 */
import type { IDeployment } from "kubernetes-models/apps/v1";
import type { ICronJob, IJob } from "kubernetes-models/batch/v1";
import type { IPersistentVolumeClaim, IService } from "kubernetes-models/v1";
import { Api, type ApiProps } from "../../../constructs/api";
import { CronJob } from "../../../constructs/cron-job";
import { Job } from "../../../constructs/job";
import { existingClaim } from "../../../constructs/lib/volumes";
import { MessageQueue } from "../../../constructs/message-queue";
import { SecretStore } from "../../../constructs/secret-store";
import { SharedVolume } from "../../../constructs/shared-volume";
import { Worker, type WorkerProps } from "../../../constructs/worker";
import { errorOf, find, image, objects, testChart, VAULT } from "../../support/chart";

const IMAGE = image("ghcr.io/acme/shop-api", "1.4.2");

function api(props: Partial<ApiProps> = {}) {
  const chart = testChart();
  new Api(chart, "api", { image: IMAGE, ...props });
  const all = objects(chart);
  const pod = find<IDeployment>(all, "Deployment", "api").spec!.template.spec!;
  return { all, pod, container: pod.containers[0]! };
}

function worker(props: Partial<WorkerProps> = {}) {
  const chart = testChart();
  new Worker(chart, "indexer", { image: image("ghcr.io/acme/indexer", "2.0.0"), probe: { exec: ["sh", "-c", "test -f /tmp/alive"] }, ...props });
  const all = objects(chart);
  const deployment = find<IDeployment>(all, "Deployment", "indexer");
  return { all, deployment, pod: deployment.spec!.template.spec!, container: deployment.spec!.template.spec!.containers[0]! };
}

describe("the container", () => {
  test("is named after its component and runs the image's own entrypoint unless command or args say otherwise", () => {
    expect(api().container).not.toHaveProperty("command");
    expect(api().container).not.toHaveProperty("args");
    const { container } = api({ command: ["tini", "--"], args: ["uvicorn", "app:app", "--port", "8000"] });
    expect(container.name).toBe("api");
    expect(container.command).toEqual(["tini", "--"]);
    expect(container.args).toEqual(["uvicorn", "app:app", "--port", "8000"]);
  });

  test("runAsGroup sets the group that owns mounted volumes, apart from the user", () => {
    expect(api({ runAsUser: 1000, runAsGroup: 2000 }).pod.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000 });
  });

  test("refuses to run as root", () => {
    expect(errorOf(() => api({ runAsUser: 0 }))).toBe("Api 'api': 'runAsUser' must be a uid ≥ 1 (got 0); containers never run as root");
  });

  test("writablePaths replace the component's own, each an emptyDir", () => {
    const { container, pod } = api({ writablePaths: ["/tmp", "/app/.cache"] });
    expect(container.volumeMounts).toEqual([
      { name: "tmp", mountPath: "/tmp" },
      { name: "app-cache", mountPath: "/app/.cache" },
    ]);
    expect(pod.volumes).toEqual([
      { name: "tmp", emptyDir: {} },
      { name: "app-cache", emptyDir: {} },
    ]);
  });

  test("startupSeconds gives a slow first boot its time", () => {
    expect(api({ startupSeconds: 300 }).container.startupProbe?.failureThreshold).toBe(60);
  });
});

describe("probes", () => {
  test.each<[string, WorkerProps["probe"], object]>([
    ["a command that exits 0", { exec: ["sh", "-c", "test -f /tmp/alive"] }, { exec: { command: ["sh", "-c", "test -f /tmp/alive"] } }],
    ["an HTTP path on a named port", { http: "/metrics", port: "metrics" }, { httpGet: { path: "/metrics", port: "metrics" } }],
    ["a TCP connect to a named port", { tcp: "metrics" }, { tcpSocket: { port: "metrics" } }],
    ["a gRPC health check", { grpc: 9090, service: "indexer" }, { grpc: { port: 9090, service: "indexer" } }],
  ])("a worker is probed by %s, in all three probes", (_, probe, action) => {
    const { container } = worker({ probe, ports: { metrics: 9090 } });
    for (const p of [container.startupProbe, container.readinessProbe, container.livenessProbe]) expect(p).toMatchObject(action);
  });
});

describe("init containers", () => {
  test("run before the container with its image, environment, volumes, resources and security context", () => {
    const { pod, container } = api({
      env: { LOG_LEVEL: "info" },
      initContainers: [{ name: "migrate", command: ["python", "manage.py", "migrate"] }],
    });
    const [init] = pod.initContainers!;
    expect(init).toEqual({
      name: "migrate",
      image: "ghcr.io/acme/shop-api:1.4.2",
      imagePullPolicy: "IfNotPresent",
      command: ["python", "manage.py", "migrate"],
      env: [{ name: "LOG_LEVEL", value: "info" }],
      resources: container.resources,
      securityContext: container.securityContext,
      volumeMounts: container.volumeMounts,
    });
    expect(init).not.toHaveProperty("readinessProbe");
  });

  test("may run another image", () => {
    expect(api({ initContainers: [{ name: "wait", image: image("busybox", "1.37"), command: ["true"] }] }).pod.initContainers?.[0]?.image).toBe("busybox:1.37");
  });

  test("may have variables of their own, which the main container never sees", () => {
    const { pod, container } = api({
      env: { LOG_LEVEL: "info" },
      initContainers: [{ name: "dump", command: ["true"], env: { PGPASSWORD: { secretName: "database-credentials", key: "password" } } }],
    });
    expect(pod.initContainers?.[0]?.env).toEqual([
      { name: "LOG_LEVEL", value: "info" },
      { name: "PGPASSWORD", valueFrom: { secretKeyRef: { name: "database-credentials", key: "password" } } },
    ]);
    expect(container.env).toEqual([{ name: "LOG_LEVEL", value: "info" }]);
  });

  test("refuse a variable of their own that the component sets too", () => {
    expect(errorOf(() => api({ env: { LOG_LEVEL: "info" }, initContainers: [{ name: "dump", command: ["true"], env: { LOG_LEVEL: "debug" } }] }))).toBe(
      "init container 'dump' of Api 'api': 'LOG_LEVEL' is also set for the whole of Api 'api'; keep one",
    );
  });

  test("need names of their own", () => {
    expect(errorOf(() => api({ initContainers: [{ name: "api", command: ["true"] }] }))).toBe(
      "Api 'api': two containers are named 'api'; init containers need names of their own",
    );
  });
});

describe("volumes", () => {
  test("scratch space with a size limit, in memory if asked", () => {
    const { container, pod } = api({ volumes: { "/scratch": { emptyDir: { sizeLimit: "1Gi" } }, "/dev/shm": { emptyDir: { medium: "Memory" } } } });
    expect(container.volumeMounts).toContainEqual({ name: "scratch", mountPath: "/scratch" });
    expect(pod.volumes).toContainEqual({ name: "scratch", emptyDir: { sizeLimit: "1Gi" } });
    expect(pod.volumes).toContainEqual({ name: "dev-shm", emptyDir: { medium: "Memory" } });
  });

  test("the files of a ConfigMap or of some keys of a Secret, read-only", () => {
    const { container, pod } = api({
      volumes: { "/etc/app": { configMap: "app-settings" }, "/etc/tls/tls.crt": { secret: "api-tls", items: ["tls.crt"], subPath: "tls.crt" } },
    });
    expect(container.volumeMounts).toContainEqual({ name: "etc-app", mountPath: "/etc/app", readOnly: true });
    expect(container.volumeMounts).toContainEqual({ name: "etc-tls-tls-crt", mountPath: "/etc/tls/tls.crt", readOnly: true, subPath: "tls.crt" });
    expect(pod.volumes).toContainEqual({ name: "etc-app", configMap: { name: "app-settings" } });
    expect(pod.volumes).toContainEqual({ name: "etc-tls-tls-crt", secret: { secretName: "api-tls", items: [{ key: "tls.crt", path: "tls.crt" }] } });
  });

  test("a claim that exists already, mounted read-write", () => {
    const { container, pod } = api({ volumes: { "/media": { claim: existingClaim("legacy-media") } } });
    expect(container.volumeMounts).toContainEqual({ name: "media", mountPath: "/media" });
    expect(pod.volumes).toContainEqual({ name: "media", persistentVolumeClaim: { claimName: "legacy-media" } });
  });

  test("a shared volume (ReadWriteMany by default) several components mount, protected from prune and deletion", () => {
    const chart = testChart();
    const uploads = new SharedVolume(chart, "uploads", { size: "20Gi", storageClassName: "nfs" });
    new Api(chart, "api", { image: IMAGE, replicas: 2, volumes: { "/app/uploads": { claim: uploads } } });
    new Worker(chart, "thumbnailer", { image: image("thumbs"), probe: { exec: ["true"] }, volumes: { "/uploads": { claim: uploads, readOnly: true } } });
    const all = objects(chart);
    expect(find<IPersistentVolumeClaim>(all, "PersistentVolumeClaim", "uploads")).toMatchObject({
      metadata: { annotations: { "argocd.argoproj.io/sync-options": "Prune=false,Delete=false", "argocd.argoproj.io/compare-options": "IgnoreExtraneous" } },
      spec: { accessModes: ["ReadWriteMany"], storageClassName: "nfs", resources: { requests: { storage: "20Gi" } } },
    });
    const thumbnailer = find<IDeployment>(all, "Deployment", "thumbnailer").spec!.template.spec!;
    expect(thumbnailer.containers[0]?.volumeMounts).toContainEqual({ name: "uploads", mountPath: "/uploads", readOnly: true });
  });

  test.each<[string, ApiProps["volumes"], string]>([
    ["a relative path", { "data": { emptyDir: {} } }, "Api 'api': volume path 'data' must be absolute, e.g. /data"],
    ["a size limit that is no quantity", { "/scratch": { emptyDir: { sizeLimit: "1 GB" } } }, "Api 'api': 'volumes[\"/scratch\"].emptyDir.sizeLimit' must be a Kubernetes quantity such as 250m, 512Mi or 10Gi (got '1 GB')"],
    ["a path that clashes with a writable path", { "/tmp": { emptyDir: {} } }, "Api 'api': two volumes are named 'tmp' (at '/tmp'); mount it elsewhere, or drop the writable path"],
  ])("refuses %s", (_, volumes, message) => {
    expect(errorOf(() => api({ volumes }))).toBe(message);
  });
});

describe("one writer on a ReadWriteOnce claim", () => {
  const withClaim = (props: Partial<ApiProps>, accessMode: "ReadWriteOnce" | "ReadWriteMany" = "ReadWriteOnce") => {
    const chart = testChart();
    const data = new SharedVolume(chart, "data", { size: "1Gi", accessMode });
    new Api(chart, "api", { image: IMAGE, volumes: { "/data": { claim: data } }, ...props });
    return find<IDeployment>(objects(chart), "Deployment", "api");
  };

  test("an Api on a ReadWriteOnce claim runs one pod, stopped before its replacement starts (SQLite on a volume)", () => {
    const deployment = withClaim({ strategy: "Recreate" });
    expect(deployment.spec?.replicas).toBe(1);
    expect(deployment.spec?.strategy).toEqual({ type: "Recreate" });
  });

  test.each<[string, Partial<ApiProps>, string]>([
    ["two replicas", { strategy: "Recreate", replicas: 2 }, "2 replica(s), Recreate"],
    ["autoscaling", { strategy: "Recreate", autoscaling: { minReplicas: 1, maxReplicas: 3 } }, "autoscaling, Recreate"],
    ["a rolling update, whose new pod would wait for the old one's volume", {}, "1 replica(s), RollingUpdate"],
  ])("refuses %s", (_, props, got) => {
    expect(errorOf(() => withClaim(props))).toBe(
      `Api 'api': it mounts the ReadWriteOnce claim 'data', which one pod at a time can use; set strategy "Recreate" and one replica, without autoscaling (got ${got})`,
    );
  });

  test("a ReadWriteMany claim may be shared by many pods", () => {
    expect(withClaim({ replicas: 3 }, "ReadWriteMany").spec?.replicas).toBe(3);
  });
});

describe("Worker", () => {
  test("a Deployment without a Service, its own account and policy, with the probe it is given", () => {
    const { all, container } = worker();
    expect(all.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(["NetworkPolicy/indexer", "ServiceAccount/indexer", "Deployment/indexer"]);
    expect(container).not.toHaveProperty("ports");
    expect(container.resources).toEqual({ requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "256Mi" } });
  });

  test("Recreate stops the old pods before starting new ones, for consumers that must never run twice", () => {
    expect(worker({ strategy: "Recreate" }).deployment.spec?.strategy).toEqual({ type: "Recreate" });
  });

  test("scales like any Deployment", () => {
    const { all, deployment } = worker({ autoscaling: { minReplicas: 2, maxReplicas: 8 } });
    expect(deployment.spec).not.toHaveProperty("replicas");
    expect(all.map((o) => o.kind)).toContain("HorizontalPodAutoscaler");
  });
});

describe("Job", () => {
  test("runs a command once per sync in its phase, as an Argo CD hook replaced before each run", () => {
    const chart = testChart();
    const job = new Job(chart, "reindex", { image: IMAGE, phase: "post-rollout", command: ["python", "manage.py", "update_index"], timeoutSeconds: 1800, retries: 1 });
    const rendered = find<IJob>(objects(chart), "Job", "reindex");
    expect(job.role).toBe("post-rollout");
    expect(rendered.metadata?.annotations).toEqual({ "argocd.argoproj.io/hook": "Sync", "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation" });
    expect(rendered.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 1800 });
    expect(rendered.spec?.template.spec).toMatchObject({ restartPolicy: "Never", containers: [{ name: "reindex", command: ["python", "manage.py", "update_index"] }] });
  });

  test.each<[string, object, string]>([
    ["a timeout of 0", { timeoutSeconds: 0 }, "Job 'reindex': 'timeoutSeconds' must be an integer ≥ 1 (got 0)"],
    ["negative retries", { retries: -1 }, "Job 'reindex': 'retries' must be an integer ≥ 0 (got -1)"],
  ])("refuses %s", (_, props, message) => {
    expect(errorOf(() => new Job(testChart(), "reindex", { image: IMAGE, phase: "pre-rollout", command: ["true"], ...props }))).toBe(message);
  });
});

describe("Secret versions", () => {
  test("a pod reading Secret keys whose values may change carries a hash of their versions, so new values roll it", () => {
    const hash = (version?: string) =>
      api({ env: { TOKEN: { secretName: "api-secrets", key: "token", ...(version ? { version } : {}) } } }).all.flatMap((o: any) =>
        o.kind === "Deployment" ? [o.spec.template.metadata.annotations?.["slipway.dev/secrets-hash"]] : [],
      )[0];
    expect(hash()).toBeUndefined();
    expect(hash("v1")).toMatch(/^[0-9a-f]{64}$/);
    expect(hash("v2")).not.toBe(hash("v1"));
  });
});

describe("CronJob", () => {
  test("runs its init containers to completion before the main one, e.g. a dump before its upload", () => {
    const chart = testChart();
    new CronJob(chart, "backup", { image: image("rclone/rclone", "1.68.2"), schedule: "@daily", command: ["rclone", "version"], initContainers: [{ name: "dump", image: IMAGE, command: ["true"] }] });
    const pod = find<ICronJob>(objects(chart), "CronJob", "backup").spec!.jobTemplate.spec!.template.spec!;
    expect(pod.initContainers?.map((c) => [c.name, c.image])).toEqual([["dump", "ghcr.io/acme/shop-api:1.4.2"]]);
    expect(pod.containers.map((c) => [c.name, c.image])).toEqual([["backup", "rclone/rclone:1.68.2"]]);
  });

  test("refuses a schedule Kubernetes refuses, or one that never runs", () => {
    expect(errorOf(() => new CronJob(testChart(), "digest", { image: IMAGE, schedule: "0 0 30 2 *" }))).toBe(
      "CronJob 'digest': 'schedule': expected a cron schedule such as '0 3 * * *' or @daily, got '0 0 30 2 *' (it never runs: no date matches its day-of-month and month)",
    );
  });

  test("runs on its schedule in its time zone, never overlapping, restarted on failure", () => {
    const chart = testChart();
    new CronJob(chart, "digest", { image: IMAGE, schedule: "0 7 * * 1-5", timeZone: "Europe/Berlin", command: ["python", "-m", "digest"] });
    const cron = find<ICronJob>(objects(chart), "CronJob", "digest");
    expect(cron.spec).toMatchObject({
      schedule: "0 7 * * 1-5",
      timeZone: "Europe/Berlin",
      concurrencyPolicy: "Forbid",
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: { spec: { backoffLimit: 2, activeDeadlineSeconds: 3600, template: { spec: { restartPolicy: "OnFailure" } } } },
    });
  });

  test("refuses a time zone the cluster does not know", () => {
    expect(errorOf(() => new CronJob(testChart(), "digest", { image: IMAGE, schedule: "0 3 * * *", timeZone: "Europe/Berln" }))).toBe(
      "CronJob 'digest': 'timeZone': expected an IANA time zone such as Europe/Berlin or UTC, got 'Europe/Berln'",
    );
  });

  test("refuses a schedule that is not cron", () => {
    expect(errorOf(() => new CronJob(testChart(), "digest", { image: IMAGE, schedule: "every day" }))).toBe(
      "CronJob 'digest': 'schedule': expected a cron schedule such as '0 3 * * *' or @daily, got 'every day' (2 field(s); a schedule has five: minute hour day-of-month month day-of-week)",
    );
  });
});

describe("ports", () => {
  test("a Service offers the ports connections open by default; another joins it once a connection opens it by name", () => {
    const chart = testChart();
    const queue = new MessageQueue(chart, "queue", { image: image("rabbitmq"), secrets: new SecretStore(chart, "secret-store", { source: VAULT }) });
    const servicePorts = () => find<IService>(objects(chart), "Service", "queue").spec?.ports?.map((p) => p.name);
    new Worker(chart, "engine", { image: image("engine"), probe: { exec: ["true"] } }).connect(queue);
    expect(servicePorts()).toEqual(["amqp"]);
    new Worker(chart, "monitor", { image: image("monitor"), probe: { exec: ["true"] } }).connect(queue, { ports: ["management"], envPrefix: false });
    expect(servicePorts()).toEqual(["amqp", "management"]);
  });

  test.each<[string, Record<string, number>, string]>([
    ["a privileged port", { metrics: 443 }, "Worker 'indexer': port 'metrics' must be an unprivileged port between 1024 and 65535 (got 443)"],
    ["a name Kubernetes cannot use", { Metrics_Port: 9090 }, "Worker 'indexer': port name 'Metrics_Port' must be at most 15 lower-case letters, digits and '-'"],
  ])("refuses %s", (_, ports, message) => {
    expect(errorOf(() => worker({ ports }))).toBe(message);
  });
});
