import type { IDeployment } from "kubernetes-models/apps/v1";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import type { IJob } from "kubernetes-models/batch/v1";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1";
import type { IContainer, IService, IServiceAccount } from "kubernetes-models/v1";
import { Api, type ApiProps } from "../../constructs/api";
import { SYNC_HOOK_ANNOTATIONS } from "../../constructs/job";
import { errorOf, find, image, kindsAndNames, objects, testChart } from "../support/chart";

const IMAGE = image("ghcr.io/acme/shop-api", "1.4.2");
const SELECTOR = { "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "web" };
const POD_LABELS = { ...SELECTOR, "app.kubernetes.io/component": "api", "app.kubernetes.io/version": "1.4.2" };
const OBJECT_LABELS = { ...POD_LABELS, "app.kubernetes.io/part-of": "web", "app.kubernetes.io/managed-by": "slipway" };
const DATABASE_PASSWORD = { secretName: "database-credentials", key: "password" };

function render(props: Partial<ApiProps> = {}, id = "api") {
  const chart = testChart();
  const api = new Api(chart, id, { image: IMAGE, ...props });
  const all = objects(chart);
  const deployment = find<IDeployment>(all, "Deployment", id);
  const pod = deployment.spec!.template.spec!;
  return { api, all, deployment, pod, container: pod.containers[0]! };
}

describe("Api", () => {
  test("renders its NetworkPolicy, a ServiceAccount, a Deployment and a Service, all named after the component", () => {
    expect(kindsAndNames(render().all)).toEqual(["NetworkPolicy/api", "ServiceAccount/api", "Deployment/api", "Service/api"]);
  });

  test("labels its objects with the component, role, version and stack, and its pods with all but the stack-wide ones", () => {
    const { all, deployment } = render();
    for (const o of all) expect([o.kind, o.metadata.labels]).toEqual([o.kind, OBJECT_LABELS]);
    expect(deployment.spec?.template.metadata?.labels).toEqual(POD_LABELS);
  });

  test("runs under its own ServiceAccount that mounts no token, neither on the account nor on the pod", () => {
    const { all, pod } = render();
    expect(find<IServiceAccount>(all, "ServiceAccount", "api").automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe("api");
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  describe("defaults", () => {
    test("one replica, rolled out one extra pod at a time without taking any away", () => {
      const { all, deployment } = render();
      expect(deployment.spec?.replicas).toBe(1);
      expect(deployment.spec?.revisionHistoryLimit).toBe(5);
      expect(deployment.spec?.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } });
      expect(deployment.spec?.selector).toEqual({ matchLabels: SELECTOR });
      expect(all.filter((o) => o.kind === "HorizontalPodAutoscaler" || o.kind === "PodDisruptionBudget")).toEqual([]);
    });

    test("serves HTTP on port 8000, named http, behind a ClusterIP Service", () => {
      const { all, container, api } = render();
      expect(api.ports).toEqual({ http: 8000 });
      expect(container.ports).toEqual([{ name: "http", containerPort: 8000, protocol: "TCP" }]);
      expect(find<IService>(all, "Service", "api").spec).toEqual({
        type: "ClusterIP",
        selector: SELECTOR,
        ports: [{ name: "http", port: 8000, targetPort: "http", protocol: "TCP" }],
      });
    });

    test("probes /healthz on the http port: startup for 60s, then readiness and liveness", () => {
      const { container } = render();
      const httpGet = { path: "/healthz", port: "http" };
      expect(container.startupProbe).toEqual({ httpGet, periodSeconds: 5, failureThreshold: 12, timeoutSeconds: 3 });
      expect(container.readinessProbe).toEqual({ httpGet, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 });
      expect(container.livenessProbe).toEqual({ httpGet, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 });
    });

    test("requests 100m CPU and 256Mi, limited to 256Mi, and runs as uid 10001 with a writable /tmp", () => {
      const { container, pod } = render();
      expect(container.resources).toEqual({ requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "256Mi" } });
      expect(pod.securityContext).toMatchObject({ runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 });
      expect(container.volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
      expect(pod.volumes).toEqual([{ name: "tmp", emptyDir: {} }]);
    });

    test("has no environment and no migration", () => {
      const { container, api } = render();
      expect(container).not.toHaveProperty("env");
      expect(container).not.toHaveProperty("envFrom");
      expect(api.migration).toBeUndefined();
      expect(api.afterRollout).toBeUndefined();
    });

    test("is not spread over nodes and zones (one pod)", () => {
      expect(render().pod).not.toHaveProperty("topologySpreadConstraints");
    });
  });

  describe("options", () => {
    test("the container is named api and runs the image, pulled if not present", () => {
      const { container } = render();
      expect(container.name).toBe("api");
      expect(container.image).toBe("ghcr.io/acme/shop-api:1.4.2");
      expect(container.imagePullPolicy).toBe("IfNotPresent");
    });

    test("port and healthPath move the container port, the Service and all three probes", () => {
      const { all, container } = render({ port: 9000, healthPath: "/-/ready" });
      expect(container.ports).toEqual([{ name: "http", containerPort: 9000, protocol: "TCP" }]);
      expect(find<IService>(all, "Service", "api").spec?.ports).toEqual([{ name: "http", port: 9000, targetPort: "http", protocol: "TCP" }]);
      for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
        expect(probe?.httpGet).toEqual({ path: "/-/ready", port: "http" });
      }
    });

    test("resources and runAsUser replace the defaults", () => {
      const { container, pod } = render({ resources: { cpu: "250m", memory: "512Mi", memoryLimit: "1Gi" }, runAsUser: 1000 });
      expect(container.resources).toEqual({ requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } });
      expect(pod.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
    });

    test("a fixed replica count of two or more gets a PDB that lets one pod go at a time", () => {
      const { all, deployment } = render({ replicas: 3 });
      expect(deployment.spec?.replicas).toBe(3);
      expect(find<IPodDisruptionBudget>(all, "PodDisruptionBudget", "api").spec).toEqual({
        maxUnavailable: 1,
        unhealthyPodEvictionPolicy: "AlwaysAllow",
        selector: { matchLabels: SELECTOR },
      });
    });

    test("an autoscaled API has no replicas field and an HPA within its bounds, steering to 75% CPU", () => {
      const { all, deployment } = render({ autoscaling: { minReplicas: 3, maxReplicas: 10 } });
      expect(deployment.spec).not.toHaveProperty("replicas");
      expect(find<IHorizontalPodAutoscaler>(all, "HorizontalPodAutoscaler", "api").spec).toEqual({
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
        minReplicas: 3,
        maxReplicas: 10,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 75 } } }],
      });
      expect(find<IPodDisruptionBudget>(all, "PodDisruptionBudget", "api").spec?.maxUnavailable).toBe(1);
    });

    test("two or more pods are spread hard over nodes and softly over zones", () => {
      const labelSelector = { matchLabels: SELECTOR };
      const spread = [
        { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector },
        { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector },
      ];
      expect(render({ replicas: 2, highAvailability: true }).pod.topologySpreadConstraints).toEqual(spread);
      expect(render({ replicas: 2 }).pod.topologySpreadConstraints).toEqual(spread);
      expect(render({ autoscaling: { minReplicas: 1, maxReplicas: 3 } }).pod.topologySpreadConstraints).toEqual(spread);
    });

    test("a workload that can only ever run one pod is not spread", () => {
      expect(render({ replicas: 1 }).pod).not.toHaveProperty("topologySpreadConstraints");
      expect(render({ autoscaling: { minReplicas: 1, maxReplicas: 1 } }).pod).not.toHaveProperty("topologySpreadConstraints");
    });
  });

  describe("environment", () => {
    test("plain values and Secret key references, sorted by name; a secret never carries a value", () => {
      const { container } = render({
        env: { SECRET_KEY: { secretName: "api-secrets", key: "secret-key" }, LOG_LEVEL: "info", DATABASE_PASSWORD },
      });
      expect(container.env).toEqual([
        { name: "DATABASE_PASSWORD", valueFrom: { secretKeyRef: { name: "database-credentials", key: "password" } } },
        { name: "LOG_LEVEL", value: "info" },
        { name: "SECRET_KEY", valueFrom: { secretKeyRef: { name: "api-secrets", key: "secret-key" } } },
      ]);
    });

    test("another component connecting to it gets <NAME>_URL, its in-cluster base URL", () => {
      const chart = testChart();
      const orders = new Api(chart, "orders-api", { image: IMAGE, port: 9000 });
      const api = new Api(chart, "api", { image: IMAGE });
      api.connect(orders);
      const container = find<IDeployment>(objects(chart), "Deployment", "api").spec!.template.spec!.containers[0]!;
      expect(container.env).toEqual([{ name: "ORDERS_API_URL", value: "http://orders-api:9000" }]);
    });
  });

  describe("migration", () => {
    const migration = { command: ["alembic", "upgrade", "head"] };

    function migrationJob(props: Partial<ApiProps> = {}) {
      const rendered = render({ migration, ...props });
      const job = find<IJob>(rendered.all, "Job", "api-migrate");
      const pod = job.spec!.template.spec!;
      return { ...rendered, job, migrationPod: pod, migrate: pod.containers[0]! };
    }

    test("runs as an Argo CD Sync hook, replaced before each new run", () => {
      const { job } = migrationJob();
      expect(SYNC_HOOK_ANNOTATIONS).toEqual({
        "argocd.argoproj.io/hook": "Sync",
        "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
      });
      expect(job.metadata?.annotations).toEqual({
        "argocd.argoproj.io/hook": "Sync",
        "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
      });
    });

    test("is a Job component of its own, with its own ServiceAccount that mounts no token", () => {
      const { all, job, migrationPod, api } = migrationJob();
      const labels = {
        "app.kubernetes.io/name": "api-migrate",
        "app.kubernetes.io/instance": "web",
        "app.kubernetes.io/component": "job",
        "app.kubernetes.io/version": "1.4.2",
      };
      expect(job.metadata?.labels).toEqual({ ...labels, "app.kubernetes.io/part-of": "web", "app.kubernetes.io/managed-by": "slipway" });
      expect(job.spec?.template.metadata?.labels).toEqual(labels);
      expect(find<IServiceAccount>(all, "ServiceAccount", "api-migrate").automountServiceAccountToken).toBe(false);
      expect(migrationPod.serviceAccountName).toBe("api-migrate");
      expect(migrationPod.automountServiceAccountToken).toBe(false);
      expect(api.migration?.name).toBe("api-migrate");
      expect(api.migration?.role).toBe("pre-rollout");
    });

    test("runs the API's image with the API's environment and the migration command", () => {
      const { container, migrate } = migrationJob({ env: { LOG_LEVEL: "info", DATABASE_PASSWORD } });
      expect(migrate.name).toBe("api-migrate");
      expect(migrate.command).toEqual(["alembic", "upgrade", "head"]);
      const same = (c: IContainer) => ({ image: c.image, env: c.env, envFrom: c.envFrom, resources: c.resources, securityContext: c.securityContext, volumeMounts: c.volumeMounts });
      expect(same(migrate)).toEqual(same(container));
    });

    test("runs once to completion: no probes, no ports, never restarted in place, no retry, 600s at most", () => {
      const { job, migrationPod, migrate } = migrationJob();
      for (const field of ["startupProbe", "readinessProbe", "livenessProbe", "ports"]) expect(migrate).not.toHaveProperty(field);
      expect(migrationPod.restartPolicy).toBe("Never");
      expect(job.spec?.backoffLimit).toBe(0);
      expect(job.spec?.activeDeadlineSeconds).toBe(600);
    });

    test("timeoutSeconds sets the deadline", () => {
      expect(migrationJob({ migration: { ...migration, timeoutSeconds: 1800 } }).job.spec?.activeDeadlineSeconds).toBe(1800);
    });

    test("adds exactly a NetworkPolicy, a ServiceAccount and a Job", () => {
      expect(kindsAndNames(migrationJob().all).filter((n) => n.endsWith("/api-migrate"))).toEqual([
        "NetworkPolicy/api-migrate",
        "ServiceAccount/api-migrate",
        "Job/api-migrate",
      ]);
    });

    test("afterRollout runs a second Job once the new version is up, with the same image and environment", () => {
      const { all, api } = render({ env: { LOG_LEVEL: "info" }, afterRollout: { command: ["python", "manage.py", "update_index"] } });
      const job = find<IJob>(all, "Job", "api-after-rollout");
      expect(api.afterRollout?.role).toBe("post-rollout");
      expect(job.spec?.template.spec?.containers[0]).toMatchObject({
        image: "ghcr.io/acme/shop-api:1.4.2",
        command: ["python", "manage.py", "update_index"],
        env: [{ name: "LOG_LEVEL", value: "info" }],
      });
    });

    test("a connection made on the API reaches its migration: the same variables, and its own egress", () => {
      const chart = testChart();
      const target = new Api(chart, "search", { image: IMAGE, port: 8983 });
      const api = new Api(chart, "api", { image: IMAGE, migration });
      api.connect(target);
      const all = objects(chart);
      expect(find<IJob>(all, "Job", "api-migrate").spec?.template.spec?.containers[0]?.env).toEqual([{ name: "SEARCH_URL", value: "http://search:8983" }]);
      expect(find(all, "NetworkPolicy", "api-migrate").spec).toMatchObject({
        egress: [{ to: [{ podSelector: { matchLabels: { "app.kubernetes.io/instance": "web", "app.kubernetes.io/name": "search" } } }], ports: [{ port: 8983, protocol: "TCP" }] }],
      });
      expect(errorOf(() => api.migration!.connect(target))).toBe("Job 'api-migrate': its environment is Api 'api''s; connect Api 'api' instead");
    });
  });

  describe("validation", () => {
    test.each<[string, Partial<ApiProps>, string]>([
      [
        "replicas together with autoscaling",
        { replicas: 2, autoscaling: { minReplicas: 2, maxReplicas: 4 } },
        "Api 'api': set either 'replicas' or 'autoscaling', not both (got replicas 2 and autoscaling)",
      ],
      ["zero replicas", { replicas: 0 }, "Api 'api': 'replicas': expected a pod count from 1 to 1000, got 0"],
      [
        "an autoscaling minimum above the maximum",
        { autoscaling: { minReplicas: 5, maxReplicas: 3 } },
        "Api 'api': 'autoscaling.maxReplicas' must be an integer ≥ minReplicas 5 (got 3)",
      ],
      [
        "high availability on one pod",
        { highAvailability: true },
        "Api 'api': high availability needs at least 2 pods (got 1 replica); set replicas ≥ 2 or autoscaling.minReplicas ≥ 2",
      ],
      ["a privileged port", { port: 80 }, "Api 'api': port 'http' must be an unprivileged port between 1024 and 65535 (got 80)"],
      ["a port above 65535", { port: 70000 }, "Api 'api': port 'http' must be an unprivileged port between 1024 and 65535 (got 70000)"],
      [
        "a variable name with a dash",
        { env: { "LOG-LEVEL": "info" } },
        "Api 'api': 'LOG-LEVEL' (its env) is not a valid name: expected an environment variable name (letters, digits and '_', not starting with a digit)",
      ],
      [
        "a secret variable starting with a digit",
        { env: { "1PASSWORD": DATABASE_PASSWORD } },
        "Api 'api': '1PASSWORD' (its env) is not a valid name: expected an environment variable name (letters, digits and '_', not starting with a digit)",
      ],
    ])("refuses %s", (_, props, message) => {
      expect(errorOf(() => render(props))).toBe(message);
    });

    test("refuses an id that cannot name Kubernetes objects", () => {
      expect(errorOf(() => render({}, "Shop_API"))).toBe(
        "Api 'Shop_API': the id names Kubernetes objects, so it must be a DNS label of at most 50 characters",
      );
    });
  });

  test("the HPA and the PDB carry the component's labels like every other object of the API", () => {
    const { all } = render({ autoscaling: { minReplicas: 2, maxReplicas: 4 } });
    expect(find(all, "HorizontalPodAutoscaler", "api").metadata.labels).toEqual(OBJECT_LABELS);
    expect(find(all, "PodDisruptionBudget", "api").metadata.labels).toEqual(OBJECT_LABELS);
  });
});
