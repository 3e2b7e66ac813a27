import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { Api } from "../../../constructs/api";
import { CronJob } from "../../../constructs/cron-job";
import { applySyncWaves, setRole, SYNC_WAVE_ANNOTATION, WAVES } from "../../../constructs/lib/roles";
import { SharedVolume } from "../../../constructs/shared-volume";
import { Worker } from "../../../constructs/worker";
import { buildShop, errorOf, image, objects, testChart } from "../../support/chart";

const wavesOf = (chart: Construct) =>
  Object.fromEntries(objects(chart as never).map((o) => [`${o.kind}/${o.metadata.name}`, o.metadata.annotations?.[SYNC_WAVE_ANNOTATION]]));

describe("roles and their waves", () => {
  test("run namespace, config, secrets, data, data setup, pre-rollout, app, edge, post-rollout, and last what nothing may wait for", () => {
    expect(WAVES).toEqual({
      namespace: -3,
      config: -2,
      secrets: -1,
      data: 0,
      "data-setup": 1,
      "pre-rollout": 2,
      app: 3,
      edge: 4,
      "post-rollout": 5,
      last: 6,
    });
  });

  test("every object of the reference stack gets the wave of its kind, or of its component's role", () => {
    const chart = testChart();
    buildShop(chart);
    applySyncWaves(chart);
    expect(wavesOf(chart)).toEqual({
      "ServiceAccount/secret-store": "-2",
      "SecretStore/vault": "-2",
      "NetworkPolicy/database": "-2",
      "ExternalSecret/database-credentials": "-1",
      "ExternalSecret/database-superuser": "-1",
      "ServiceAccount/database": "-2",
      "StatefulSet/database": "0",
      "Service/database": "0",
      "NetworkPolicy/database-setup": "-2",
      "ServiceAccount/database-setup": "-2",
      "Job/database-setup": "1",
      "PersistentVolumeClaim/database-backups": "6",
      "NetworkPolicy/database-backup": "-2",
      "ServiceAccount/database-backup": "-2",
      "CronJob/database-backup": "6",
      "NetworkPolicy/cache": "-2",
      "ExternalSecret/cache-credentials": "-1",
      "ConfigMap/cache": "-2",
      "ServiceAccount/cache": "-2",
      "StatefulSet/cache": "0",
      "Service/cache": "0",
      "NetworkPolicy/api": "-2",
      "ServiceAccount/api": "-2",
      "Deployment/api": "3",
      "Service/api": "3",
      "NetworkPolicy/api-migrate": "-2",
      "ServiceAccount/api-migrate": "-2",
      "Job/api-migrate": "2",
      "NetworkPolicy/frontend": "-2",
      "ConfigMap/frontend": "-2",
      "ServiceAccount/frontend": "-2",
      "Deployment/frontend": "4",
      "Service/frontend": "4",
      "NetworkPolicy/proxy": "-2",
      "ConfigMap/proxy": "-2",
      "ServiceAccount/proxy": "-2",
      "Deployment/proxy": "4",
      "Service/proxy": "4",
      "Ingress/proxy": "6",
    });
  });

  test("an HPA syncs last: it is Degraded until metrics arrive, and nothing may wait for that; its PDB syncs with its Deployment", () => {
    const chart = testChart();
    new Api(chart, "api", { image: image("api"), autoscaling: { minReplicas: 2, maxReplicas: 4 } });
    applySyncWaves(chart);
    expect(wavesOf(chart)).toMatchObject({ "Deployment/api": "3", "HorizontalPodAutoscaler/api": "6", "PodDisruptionBudget/api": "3" });
  });

  describe("a shared volume", () => {
    test("syncs with its first long-running consumer: on WaitForFirstConsumer storage it stays Pending until a pod mounts it", () => {
      const chart = testChart();
      const uploads = new SharedVolume(chart, "uploads", { size: "5Gi" });
      new Api(chart, "api", { image: image("api"), volumes: { "/uploads": { claim: uploads } } });
      new Worker(chart, "thumbnailer", { image: image("thumbs"), probe: { exec: ["true"] }, volumes: { "/uploads": { claim: uploads } } });
      applySyncWaves(chart);
      expect(wavesOf(chart)["PersistentVolumeClaim/uploads"]).toBe("3");
    });

    test("mounted only by CronJobs, syncs last, where nothing waits for it to bind", () => {
      const chart = testChart();
      const reports = new SharedVolume(chart, "reports", { size: "5Gi", accessMode: "ReadWriteOnce" });
      new CronJob(chart, "report", { image: image("report"), schedule: "@daily", volumes: { "/reports": { claim: reports } } });
      applySyncWaves(chart);
      expect(wavesOf(chart)["PersistentVolumeClaim/reports"]).toBe("6");
    });
  });

  describe("raw objects in a stack", () => {
    test("an explicit sync-wave annotation is kept", () => {
      const chart = testChart();
      new ApiObject(chart, "raw", { apiVersion: "v1", kind: "Service", metadata: { name: "raw", annotations: { [SYNC_WAVE_ANNOTATION]: "7" } } });
      applySyncWaves(chart);
      expect(wavesOf(chart)["Service/raw"]).toBe("7");
    });

    test("a construct given a role with setRole passes it to the objects below it", () => {
      const chart = testChart();
      const group = new Construct(chart, "mongo");
      setRole(group, "data");
      new ApiObject(group, "statefulset", { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "mongo" } });
      applySyncWaves(chart);
      expect(wavesOf(chart)["StatefulSet/mongo"]).toBe("0");
    });

    test("a role set on an object itself beats its kind's (a ConfigMap a construct decides is data)", () => {
      const chart = testChart();
      const group = new Construct(chart, "seed");
      setRole(group, "data");
      const config = new ApiObject(group, "config", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "seed" } });
      new ApiObject(group, "plain", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "plain" } });
      setRole(config, () => "data-setup");
      applySyncWaves(chart);
      expect([wavesOf(chart)["ConfigMap/seed"], wavesOf(chart)["ConfigMap/plain"]]).toEqual(["1", "-2"]);
    });

    test("an object with neither a role nor an annotation is an error naming it and the fix", () => {
      const chart = testChart();
      new ApiObject(chart, "raw", { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "raw" } });
      expect(errorOf(() => applySyncWaves(chart))).toBe(
        "Deployment 'raw' (test/raw) has no sync wave: create it inside a component, give its construct a role with setRole(construct, \"app\"), or annotate it with argocd.argoproj.io/sync-wave",
      );
    });

    test("an unknown role is an error naming the construct", () => {
      const chart = testChart();
      expect(errorOf(() => setRole(new Construct(chart, "sidecar"), "sidecar" as never))).toBe(
        "test/sidecar: unknown role 'sidecar': expected one of namespace, config, secrets, data, data-setup, pre-rollout, app, edge, post-rollout, last",
      );
    });
  });
});
