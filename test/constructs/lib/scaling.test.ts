import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1";
import { k8s } from "../../../constructs/lib/k8s";
import { addScalingObjects, checkScaling, maxPods, replicasField, type ScalingProps } from "../../../constructs/lib/scaling";
import { errorOf, find, kindsAndNames, objects, testChart } from "../../support/chart";

const OWNER = "Api 'api'";
const SELECTOR = { "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "web" };

/** What addScalingObjects adds next to a Deployment named `api`. */
function scalingObjects(props: ScalingProps) {
  const chart = testChart();
  const deployment = new k8s.KubeDeployment(chart, "deployment", {
    metadata: { name: "api" },
    spec: { selector: { matchLabels: SELECTOR }, template: { spec: { containers: [{ name: "api" }] } } },
  });
  addScalingObjects(chart, deployment, { "app.kubernetes.io/component": "api", ...SELECTOR }, SELECTOR, props);
  return objects(chart).filter((o) => o.kind !== "Deployment");
}

describe("checkScaling", () => {
  test.each<[string, ScalingProps, string]>([
    [
      "replicas and autoscaling together",
      { replicas: 2, autoscaling: { minReplicas: 2, maxReplicas: 4 } },
      "Api 'api': set either 'replicas' or 'autoscaling', not both (got replicas 2 and autoscaling)",
    ],
    ["zero replicas", { replicas: 0 }, "Api 'api': 'replicas': expected a pod count from 1 to 1000, got 0"],
    ["a fractional replica count", { replicas: 1.5 }, "Api 'api': 'replicas': expected a pod count from 1 to 1000, got 1.5"],
    ["a hundred million replicas (1e8 in YAML)", { replicas: 1e8 }, "Api 'api': 'replicas': expected a pod count from 1 to 1000, got 100000000"],
    [
      "autoscaling to a hundred million",
      { autoscaling: { minReplicas: 2, maxReplicas: 1e8 } },
      "Api 'api': 'autoscaling.maxReplicas': expected a pod count from 1 to 1000, got 100000000",
    ],
    [
      "autoscaling from zero",
      { autoscaling: { minReplicas: 0, maxReplicas: 3 } },
      "Api 'api': 'autoscaling.minReplicas': expected a pod count from 1 to 1000, got 0",
    ],
    [
      "a maximum below the minimum",
      { autoscaling: { minReplicas: 3, maxReplicas: 2 } },
      "Api 'api': 'autoscaling.maxReplicas' must be an integer ≥ minReplicas 3 (got 2)",
    ],
    [
      "high availability with the default single replica",
      { highAvailability: true },
      "Api 'api': high availability needs at least 2 pods (got 1 replica); set replicas ≥ 2 or autoscaling.minReplicas ≥ 2",
    ],
    [
      "high availability with one replica",
      { highAvailability: true, replicas: 1 },
      "Api 'api': high availability needs at least 2 pods (got 1 replica); set replicas ≥ 2 or autoscaling.minReplicas ≥ 2",
    ],
    [
      "high availability autoscaled down to one pod",
      { highAvailability: true, autoscaling: { minReplicas: 1, maxReplicas: 4 } },
      "Api 'api': high availability needs autoscaling.minReplicas ≥ 2 (got 1)",
    ],
  ])("refuses %s", (_, props, message) => {
    expect(errorOf(() => checkScaling(OWNER, props))).toBe(message);
  });

  test.each<[string, ScalingProps]>([
    ["no scaling settings", {}],
    ["a fixed replica count", { replicas: 3 }],
    ["autoscaling with min = max", { autoscaling: { minReplicas: 2, maxReplicas: 2 } }],
    ["high availability on two replicas", { highAvailability: true, replicas: 2 }],
    ["high availability autoscaled from two pods", { highAvailability: true, autoscaling: { minReplicas: 2, maxReplicas: 5 } }],
  ])("accepts %s", (_, props) => {
    expect(() => checkScaling(OWNER, props)).not.toThrow();
  });
});

describe("maxPods", () => {
  test("is the replica count, one by default, or the autoscaler's upper bound", () => {
    expect(maxPods({})).toBe(1);
    expect(maxPods({ replicas: 3 })).toBe(3);
    expect(maxPods({ autoscaling: { minReplicas: 1, maxReplicas: 5 } })).toBe(5);
  });
});

describe("replicasField", () => {
  test("one replica by default", () => {
    expect(replicasField({})).toEqual({ replicas: 1 });
  });

  test("the fixed replica count", () => {
    expect(replicasField({ replicas: 3 })).toEqual({ replicas: 3 });
  });

  test("no replicas field under autoscaling, so a sync never fights the HPA", () => {
    expect(replicasField({ autoscaling: { minReplicas: 2, maxReplicas: 4 } })).toEqual({});
  });
});

describe("addScalingObjects", () => {
  test("autoscaling adds an HPA on the target's CPU, steering to 75% by default", () => {
    const hpa = find<IHorizontalPodAutoscaler>(scalingObjects({ autoscaling: { minReplicas: 2, maxReplicas: 6 } }), "HorizontalPodAutoscaler", "api");
    expect(hpa.apiVersion).toBe("autoscaling/v2");
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 75 } } }],
    });
  });

  test("the HPA steers to the given CPU target", () => {
    const hpa = find<IHorizontalPodAutoscaler>(
      scalingObjects({ autoscaling: { minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 60 } }),
      "HorizontalPodAutoscaler",
      "api",
    );
    expect(hpa.spec?.metrics?.[0]?.resource?.target.averageUtilization).toBe(60);
  });

  test("two or more pods get a PDB letting one pod go at a time, and never holding a drain up for a pod that is not ready", () => {
    const pdb = find<IPodDisruptionBudget>(scalingObjects({ replicas: 2 }), "PodDisruptionBudget", "api");
    expect(pdb.apiVersion).toBe("policy/v1");
    expect(pdb.spec).toEqual({ maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow", selector: { matchLabels: SELECTOR } });
  });

  test("an autoscaler that may add a second pod gets a PDB too", () => {
    expect(kindsAndNames(scalingObjects({ autoscaling: { minReplicas: 1, maxReplicas: 3 } }))).toEqual([
      "HorizontalPodAutoscaler/api",
      "PodDisruptionBudget/api",
    ]);
  });

  test("a single pod gets no PDB, which would block every node drain", () => {
    expect(kindsAndNames(scalingObjects({}))).toEqual([]);
    expect(kindsAndNames(scalingObjects({ replicas: 1 }))).toEqual([]);
    expect(kindsAndNames(scalingObjects({ autoscaling: { minReplicas: 1, maxReplicas: 1 } }))).toEqual(["HorizontalPodAutoscaler/api"]);
  });
});
