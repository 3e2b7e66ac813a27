import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Chart } from "cdk8s";
import type { IContainer, IPodSpec, IPodTemplateSpec } from "kubernetes-models/v1";
import { Api } from "../../../constructs/api";
import { Cache } from "../../../constructs/cache";
import { Database } from "../../../constructs/database";
import { Jumpbox } from "../../../constructs/jumpbox";
import { MessageQueue } from "../../../constructs/message-queue";
import { Proxy } from "../../../constructs/proxy";
import { SearchIndex } from "../../../constructs/search-index";
import { SecretStore } from "../../../constructs/secret-store";
import { Worker } from "../../../constructs/worker";
import { Component } from "../../../constructs/lib/component";
import { k8s } from "../../../constructs/lib/k8s";
import {
  CONTAINER_SECURITY_CONTEXT,
  container,
  podSecurityContext,
  podSpec,
  probes,
  resources,
  scratchVolumeName,
  topologySpread,
} from "../../../constructs/lib/pod";
import type { KubeObject } from "../../../lib/kube-object";
import { buildShop, image, INGRESS, objects, testChart, VAULT } from "../../support/chart";

/** A pod spec as it is written out: Quantity and IntOrString values resolved by rendering it in a Pod. */
function rendered(spec: k8s.PodSpec): IPodSpec {
  return (new k8s.KubePod(testChart(), "pod", { spec }).toJson() as { spec: IPodSpec }).spec;
}

const app = { name: "app", image: image("ghcr.io/acme/app", "1.2.3"), resources: { cpu: "100m", memory: "128Mi" } };

/** A container as it is written out. */
function renderedContainer(c: k8s.Container): IContainer {
  return rendered({ containers: [c] }).containers[0]!;
}

/** The container security context Pod Security Standards "restricted" asks for, field by field. */
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

describe("resources", () => {
  test("requests CPU and memory and limits memory to the request, with no CPU limit", () => {
    expect(renderedContainer({ name: "app", resources: resources({ cpu: "250m", memory: "512Mi" }) }).resources).toEqual({
      requests: { cpu: "250m", memory: "512Mi" },
      limits: { memory: "512Mi" },
    });
  });

  test("a memory limit above the request is kept", () => {
    expect(renderedContainer({ name: "app", resources: resources({ cpu: "1", memory: "1Gi", memoryLimit: "2Gi" }) }).resources).toEqual({
      requests: { cpu: "1", memory: "1Gi" },
      limits: { memory: "2Gi" },
    });
  });
});

describe("security contexts", () => {
  test("a pod runs as its non-root user, with the group defaulting to the user, and the runtime's seccomp profile", () => {
    expect(podSecurityContext({ user: 10001 })).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      fsGroupChangePolicy: "OnRootMismatch",
      seccompProfile: { type: "RuntimeDefault" },
    });
  });

  test("an explicit group sets runAsGroup and fsGroup", () => {
    expect(podSecurityContext({ user: 999, group: 1000 })).toMatchObject({ runAsUser: 999, runAsGroup: 1000, fsGroup: 1000 });
  });

  test("a container cannot escalate, holds no capability and writes nothing to its root filesystem", () => {
    expect(CONTAINER_SECURITY_CONTEXT).toEqual(RESTRICTED_CONTAINER);
  });
});

describe("probes", () => {
  test("an HTTP check gives a startup probe of 60s by default, a quick readiness and a lenient liveness probe", () => {
    const httpGet = { path: "/healthz", port: "http" };
    const c = renderedContainer({ name: "app", ...probes({ check: { http: "/healthz", port: "http" } }) });
    expect({ startupProbe: c.startupProbe, readinessProbe: c.readinessProbe, livenessProbe: c.livenessProbe }).toEqual({
      startupProbe: { httpGet, periodSeconds: 5, failureThreshold: 12, timeoutSeconds: 3 },
      readinessProbe: { httpGet, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 },
      livenessProbe: { httpGet, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 },
    });
  });

  test("a command check runs the same command in all three probes", () => {
    const p = probes({ check: { exec: ["redis-cli", "ping"] } });
    for (const probe of [p.startupProbe, p.readinessProbe, p.livenessProbe]) {
      expect(probe?.exec).toEqual({ command: ["redis-cli", "ping"] });
      expect(probe?.httpGet).toBeUndefined();
    }
  });

  test("startupSeconds becomes whole 5s periods, rounded up", () => {
    expect(probes({ check: { http: "/", port: "http" }, startupSeconds: 300 }).startupProbe?.failureThreshold).toBe(60);
    expect(probes({ check: { http: "/", port: "http" }, startupSeconds: 31 }).startupProbe?.failureThreshold).toBe(7);
  });
});

describe("scratchVolumeName", () => {
  test.each([
    ["/tmp", "tmp"],
    ["/var/cache/nginx", "var-cache-nginx"],
    ["/var/run/postgresql/", "var-run-postgresql"],
    ["/Data_Dir", "data-dir"],
    ["/", "root"],
  ])("%s is mounted from the volume %s", (path, name) => {
    expect(scratchVolumeName(path)).toBe(name);
  });
});

describe("container", () => {
  test("a minimal container has its image, resources and the restricted security context, and nothing else", () => {
    expect(renderedContainer(container(app))).toEqual({
      name: "app",
      image: "ghcr.io/acme/app:1.2.3",
      imagePullPolicy: "IfNotPresent",
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "128Mi" } },
      securityContext: CONTAINER_SECURITY_CONTEXT,
    });
  });

  test("a pinned image is pulled by digest, the tag kept for readers", () => {
    const pinned = { ...app, image: { repository: "ghcr.io/acme/app", tag: "1.2.3", digest: "sha256:abc" } };
    expect(container(pinned).image).toBe("ghcr.io/acme/app:1.2.3@sha256:abc");
  });

  test("named ports become TCP container ports", () => {
    expect(container({ ...app, ports: { http: 8000, metrics: 9090 } }).ports).toEqual([
      { name: "http", containerPort: 8000, protocol: "TCP" },
      { name: "metrics", containerPort: 9090, protocol: "TCP" },
    ]);
  });

  test("writable paths are mounted before the other volume mounts", () => {
    const c = container({ ...app, writablePaths: ["/tmp"], volumeMounts: [{ name: "data", mountPath: "/data" }] });
    expect(c.volumeMounts).toEqual([
      { name: "tmp", mountPath: "/tmp" },
      { name: "data", mountPath: "/data" },
    ]);
  });

  test("empty env and envFrom lists are left out", () => {
    const c = container({ ...app, env: [], envFrom: [] });
    expect(c).not.toHaveProperty("env");
    expect(c).not.toHaveProperty("envFrom");
  });
});

describe("podSpec", () => {
  test("a pod runs under its own ServiceAccount without a token and without service links", () => {
    const spec = podSpec({ serviceAccountName: "api", runAs: { user: 10001 }, containers: [app] });
    expect(spec.serviceAccountName).toBe("api");
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.enableServiceLinks).toBe(false);
    expect(spec.securityContext).toEqual(podSecurityContext({ user: 10001 }));
    expect(spec).not.toHaveProperty("restartPolicy");
    expect(spec).not.toHaveProperty("volumes");
    expect(spec).not.toHaveProperty("topologySpreadConstraints");
  });

  test("a path two containers write to is one emptyDir volume, listed before the given volumes", () => {
    const spec = podSpec({
      serviceAccountName: "api",
      runAs: { user: 10001 },
      containers: [
        { ...app, writablePaths: ["/tmp"] },
        { ...app, name: "sidecar", writablePaths: ["/tmp", "/cache"] },
      ],
      volumes: [{ name: "config", configMap: { name: "api" } }],
    });
    expect(spec.volumes).toEqual([
      { name: "tmp", emptyDir: {} },
      { name: "cache", emptyDir: {} },
      { name: "config", configMap: { name: "api" } },
    ]);
  });

  test("refuses a writable path whose volume name clashes with a given volume", () => {
    expect(() =>
      podSpec({
        serviceAccountName: "api",
        runAs: { user: 10001 },
        containers: [{ ...app, writablePaths: ["/config"] }],
        volumes: [{ name: "config", configMap: { name: "api" } }],
      }),
    ).toThrow("pod of 'api': two volumes are named 'config'; rename the volume or the writable path");
  });

  test("a restart policy and a spread selector are passed through", () => {
    const selector = { "app.kubernetes.io/name": "api" };
    const spec = podSpec({ serviceAccountName: "api", runAs: { user: 1 }, containers: [app], restartPolicy: "Never", spreadSelector: selector });
    expect(spec.restartPolicy).toBe("Never");
    expect(spec.topologySpreadConstraints).toEqual(topologySpread(selector));
  });
});

describe("topologySpread", () => {
  test("spreads hard over nodes and softly over zones, so single-zone clusters still schedule", () => {
    const labelSelector = { matchLabels: { "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "web" } };
    expect(topologySpread(labelSelector.matchLabels)).toEqual([
      { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector },
      { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector },
    ]);
  });
});

/** The pod template of a workload object; undefined for objects that run no pods. */
function podTemplateOf(o: KubeObject): IPodTemplateSpec | undefined {
  const spec = o.spec as { template?: IPodTemplateSpec; jobTemplate?: { spec?: { template?: IPodTemplateSpec } } } | undefined;
  if (o.kind === "Pod") return { metadata: o.metadata, spec: o.spec as IPodSpec };
  return spec?.template ?? spec?.jobTemplate?.spec?.template;
}

interface WorkloadRow {
  readonly kind: string;
  readonly name: string;
  /** uid (and gid) the pod runs as. */
  readonly uid: number;
  /** Paths the process writes to, each of which must be an emptyDir. */
  readonly writable: readonly string[];
}

/** Every workload Slipway renders. A new workload must be added here, and so gets checked. */
const WORKLOADS: readonly WorkloadRow[] = [
  { kind: "Deployment", name: "api", uid: 10001, writable: ["/tmp"] },
  { kind: "Job", name: "api-migrate", uid: 10001, writable: ["/tmp"] },
  { kind: "StatefulSet", name: "database", uid: 999, writable: ["/var/run/postgresql", "/tmp"] },
  { kind: "Job", name: "database-setup", uid: 999, writable: ["/tmp"] },
  { kind: "CronJob", name: "database-backup", uid: 999, writable: ["/tmp"] },
  { kind: "StatefulSet", name: "cache", uid: 999, writable: ["/tmp", "/data"] },
  { kind: "Deployment", name: "proxy", uid: 101, writable: ["/tmp", "/var/cache/nginx"] },
  { kind: "Deployment", name: "frontend", uid: 101, writable: ["/tmp", "/var/cache/nginx"] },
];

/** Variants whose pods differ from the shop's: an SSR frontend and a cache with a volume. */
const VARIANTS: readonly (WorkloadRow & { variant: string; build: (chart: Chart) => void })[] = [
  {
    variant: "ssr frontend",
    kind: "Deployment",
    name: "frontend",
    uid: 1000,
    writable: ["/tmp"],
    build: (chart) => buildShop(chart, { frontendMode: "ssr" }),
  },
  {
    variant: "cache with a volume",
    kind: "StatefulSet",
    name: "cache",
    uid: 999,
    writable: ["/tmp"],
    build: (chart) => new Cache(chart, "cache", { image: image("redis"), secrets: new SecretStore(chart, "secret-store", { source: VAULT }), persistence: { size: "1Gi" } }),
  },
  {
    variant: "queue worker",
    kind: "Deployment",
    name: "worker",
    uid: 10001,
    writable: ["/tmp"],
    build: (chart) => new Worker(chart, "worker", { image: image("ghcr.io/acme/worker"), probe: { exec: ["true"] } }),
  },
  {
    variant: "message queue",
    kind: "StatefulSet",
    name: "queue",
    uid: 999,
    writable: ["/tmp", "/var/log/rabbitmq"],
    build: (chart) => new MessageQueue(chart, "queue", { image: image("rabbitmq"), secrets: new SecretStore(chart, "secret-store", { source: VAULT }) }),
  },
  {
    variant: "proxy with OIDC login",
    kind: "Deployment",
    name: "proxy-auth",
    uid: 65532,
    writable: ["/tmp"],
    build: (chart) => {
      const api = new Api(chart, "api", { image: image("ghcr.io/acme/api") });
      new Proxy(chart, "proxy", {
        image: image("nginxinc/nginx-unprivileged"),
        hosts: ["api.example.com"],
        ingress: INGRESS,
        routes: [{ path: "/", to: api }],
        oidc: {
          image: image("quay.io/oauth2-proxy/oauth2-proxy", "v7.15.3"),
          issuerUrl: "https://login.example.com",
          clientId: "gateway",
          issuerCidrs: ["203.0.113.0/24"],
          emailDomains: ["example.com"],
          secrets: new SecretStore(chart, "secret-store", { source: VAULT }),
        },
      });
    },
  },
  {
    variant: "Solr search index (its data volume at /var/solr is a claim)",
    kind: "StatefulSet",
    name: "search",
    uid: 8983,
    writable: ["/tmp"],
    build: (chart) => new SearchIndex(chart, "search", { image: image("docker.io/library/solr", "9.10.1") }),
  },
  {
    variant: "operators' jumpbox",
    kind: "Deployment",
    name: "jumpbox",
    uid: 10001,
    writable: ["/tmp"],
    build: (chart) => new Jumpbox(chart, "jumpbox", { image: image("ghcr.io/acme/jumpbox") }),
  },
  {
    variant: "MongoDB",
    kind: "StatefulSet",
    name: "database",
    uid: 999,
    writable: ["/tmp", "/data/configdb"],
    build: (chart) => new Database(chart, "database", { engine: "mongodb", image: image("mongo", "7.0.14"), secrets: new SecretStore(chart, "secret-store", { source: VAULT }), backup: false }),
  },
  {
    variant: "backup copied off-site: dump in an init container, rclone after it",
    kind: "CronJob",
    name: "database-backup",
    uid: 999,
    writable: ["/tmp"],
    build: (chart) =>
      new Database(chart, "database", {
        image: image("postgres", "16.4"),
        secrets: new SecretStore(chart, "secret-store", { source: VAULT }),
        backup: { offsite: { image: image("rclone/rclone", "1.68.2"), bucket: "backups", endpoint: "https://s3.example.com", cidrs: ["192.0.2.0/24"] } },
      }),
  },
  {
    variant: "api migrating in an init container",
    kind: "Deployment",
    name: "api",
    uid: 10001,
    writable: ["/tmp"],
    build: (chart) => new Api(chart, "api", { image: image("ghcr.io/acme/api"), initContainers: [{ name: "migrate", command: ["python", "manage.py", "migrate"] }] }),
  },
];

function shopObjects(): KubeObject[] {
  const chart = testChart();
  buildShop(chart);
  return objects(chart);
}

function expectRestricted(all: readonly KubeObject[], row: WorkloadRow): void {
  const o = all.find((x) => x.kind === row.kind && x.metadata.name === row.name);
  const template = o && podTemplateOf(o);
  if (!template?.spec) throw new Error(`${row.kind}/${row.name} is not rendered or has no pod template`);
  const pod = template.spec;
  expect([row.name, pod.securityContext]).toEqual([
    row.name,
    {
      runAsNonRoot: true,
      runAsUser: row.uid,
      runAsGroup: row.uid,
      fsGroup: row.uid,
      fsGroupChangePolicy: "OnRootMismatch",
      seccompProfile: { type: "RuntimeDefault" },
    },
  ]);
  expect([row.name, pod.automountServiceAccountToken]).toEqual([row.name, false]);
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
    expect([row.name, c.name, c.securityContext]).toEqual([
      row.name,
      c.name,
      RESTRICTED_CONTAINER,
    ]);
    expect([row.name, c.name, Object.keys(c.resources?.requests ?? {}).sort(), Object.keys(c.resources?.limits ?? {})]).toEqual([
      row.name,
      c.name,
      ["cpu", "memory"],
      ["memory"],
    ]);
    const volumeAt = (path: string) => {
      const mount = c.volumeMounts?.find((m) => m.mountPath === path);
      return pod.volumes?.find((v) => v.name === mount?.name);
    };
    for (const path of row.writable) expect([row.name, path, volumeAt(path)?.emptyDir]).toEqual([row.name, path, {}]);
  }
}

describe("every workload meets the Pod Security Standards 'restricted' profile", () => {
  test("the table lists every workload object the constructs render", () => {
    const builds = [(chart: Chart) => buildShop(chart), ...VARIANTS.map((v) => v.build)];
    const rendered = builds.flatMap((build) => {
      const chart = testChart();
      build(chart);
      return objects(chart).filter((o) => podTemplateOf(o) !== undefined).map((o) => `${o.kind}/${o.metadata.name}`);
    });
    const listed = [...WORKLOADS, ...VARIANTS].map((w) => `${w.kind}/${w.name}`);
    expect([...new Set(rendered)].sort()).toEqual([...new Set(listed)].sort());
  });

  test("every component construct in constructs/ is built by the fixture", () => {
    const dir = join(__dirname, "../../../constructs");
    const components = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) => Object.values(require(join(dir, f)) as Record<string, unknown>))
      .filter((v): v is typeof Component => typeof v === "function" && v.prototype instanceof Component)
      .map((c) => c.name)
      .sort();
    const built = [(chart: Chart) => buildShop(chart), ...VARIANTS.map((v) => v.build)].flatMap((build) => {
      const chart = testChart();
      build(chart);
      return chart.node.findAll().filter((c) => c instanceof Component).map((c) => c.constructor.name);
    });
    expect([...new Set(built)].sort()).toEqual(components);
  });

  test.each(WORKLOADS)("$kind/$name", (row) => {
    expectRestricted(shopObjects(), row);
  });

  test.each(VARIANTS)("$kind/$name ($variant)", (row) => {
    const chart = testChart();
    row.build(chart);
    expectRestricted(objects(chart), row);
  });
});
