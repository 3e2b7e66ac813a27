import { Api } from "../../../constructs/api";
import { applySyncWaves, SYNC_WAVE_ANNOTATION, SyncWave, syncWaveOf } from "../../../constructs/lib/sync-waves";
import { buildShop, image, objects, testChart } from "../../support/chart";

describe("syncWaveOf", () => {
  test("the waves run config, secrets, data, migration, api, edge, maintenance", () => {
    expect(SyncWave).toEqual({ config: -2, secrets: -1, data: 0, migration: 1, api: 2, edge: 3, maintenance: 4 });
  });

  test.each([
    ["ServiceAccount", "api", -2],
    ["ConfigMap", "proxy", -2],
    ["NetworkPolicy", undefined, -2],
    ["SecretStore", undefined, -2],
    ["Password", undefined, -2],
    ["ExternalSecret", undefined, -1],
    ["StatefulSet", "database", 0],
    ["Service", "database", 0],
    ["StatefulSet", "cache", 0],
    ["CronJob", "backup", 4],
    ["PersistentVolumeClaim", "backup", 4],
    ["Job", "migration", 1],
    ["Deployment", "api", 2],
    ["Service", "api", 2],
    ["Deployment", "frontend", 3],
    ["Deployment", "proxy", 3],
    ["Ingress", "proxy", 3],
  ])("%s of a %s component syncs in wave %d", (kind, role, wave) => {
    expect(syncWaveOf(kind, role)).toBe(wave);
  });

  test("an object without a known role syncs with the config, before every workload", () => {
    expect(syncWaveOf("Deployment", undefined)).toBe(-2);
    expect(syncWaveOf("Deployment", "sidecar")).toBe(-2);
  });
});

describe("applySyncWaves", () => {
  test("annotates every object of a chart with the wave of its kind and component", () => {
    const chart = testChart();
    buildShop(chart);
    applySyncWaves(chart);
    const waves = Object.fromEntries(objects(chart).map((o) => [`${o.kind}/${o.metadata.name}`, o.metadata.annotations?.[SYNC_WAVE_ANNOTATION]]));
    expect(waves).toEqual({
      "ServiceAccount/secret-store": "-2",
      "SecretStore/vault": "-2",
      "ExternalSecret/database-credentials": "-1",
      "ExternalSecret/cache-credentials": "-1",
      "ServiceAccount/database": "-2",
      "Service/database": "0",
      "StatefulSet/database": "0",
      "PersistentVolumeClaim/database-backup": "4",
      "ServiceAccount/database-backup": "-2",
      "CronJob/database-backup": "4",
      "ConfigMap/cache": "-2",
      "ServiceAccount/cache": "-2",
      "Service/cache": "0",
      "StatefulSet/cache": "0",
      "ConfigMap/api": "-2",
      "ServiceAccount/api": "-2",
      "Deployment/api": "2",
      "Service/api": "2",
      "ServiceAccount/api-migrate": "-2",
      "Job/api-migrate": "1",
      "ConfigMap/frontend": "-2",
      "ServiceAccount/frontend": "-2",
      "Deployment/frontend": "3",
      "Service/frontend": "3",
      "ConfigMap/proxy": "-2",
      "ServiceAccount/proxy": "-2",
      "Deployment/proxy": "3",
      "Service/proxy": "3",
      "Ingress/proxy": "3",
      "NetworkPolicy/default-deny": "-2",
      "NetworkPolicy/acme-http01-solver": "-2",
      "NetworkPolicy/api": "-2",
      "NetworkPolicy/api-migrate": "-2",
      "NetworkPolicy/cache": "-2",
      "NetworkPolicy/database": "-2",
      "NetworkPolicy/database-backup": "-2",
      "NetworkPolicy/frontend": "-2",
      "NetworkPolicy/proxy": "-2",
    });
  });

  test("the generator store syncs with the config", () => {
    const chart = testChart();
    buildShop(chart, { secrets: "generator" });
    applySyncWaves(chart);
    const password = objects(chart).find((o) => o.kind === "Password");
    expect(password?.metadata.annotations?.[SYNC_WAVE_ANNOTATION]).toBe("-2");
  });

  test("an autoscaled API's HPA and PDB sync in the API's wave, after its Deployment exists", () => {
    const chart = testChart();
    new Api(chart, "api", { image: image("api"), autoscaling: { minReplicas: 2, maxReplicas: 4 } });
    applySyncWaves(chart);
    const waves = objects(chart)
      .filter((o) => o.kind === "HorizontalPodAutoscaler" || o.kind === "PodDisruptionBudget")
      .map((o) => [o.kind, o.metadata.annotations?.[SYNC_WAVE_ANNOTATION]]);
    expect(waves).toEqual([
      ["HorizontalPodAutoscaler", "2"],
      ["PodDisruptionBudget", "2"],
    ]);
  });
});
