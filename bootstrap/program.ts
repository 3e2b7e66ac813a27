/**
 * The resources of one cluster's bootstrap, from a checked plan: the platform charts in their namespaces, the
 * repository credentials, the Applications through which Argo CD takes the charts over, and the root objects.
 *
 * Ownership, so that Pulumi and Argo CD never fight over one object:
 * - Pulumi owns the namespaces it creates, the repository Secret, the `platform` AppProject, the `platform-*`
 *   Applications and the root objects. They change only with the repository, its credentials or dist/argocd/root.yaml.
 * - Each chart's objects are installed once by Pulumi (a Helm release) and from then on belong to Argo CD,
 *   which syncs bootstrap/charts/<name>/ from Git. The release ignores later changes to chart, version and values
 *   (`ignoreChanges`), so `pulumi up` never upgrades or downgrades what Argo CD runs; an upgrade is a pull request.
 * - Argo CD's CRDs, which the argo-cd chart does not install (bootstrap/argocd-install.ts), are installed once by
 *   Pulumi from the URLs of bootstrap/crds/argocd/ and from then on belong to Argo CD (`platform-argocd-crds`):
 *   Pulumi ignores later changes to them as it does to the releases.
 * - Namespaces, releases and CRDs are kept when removed from the program (`retainOnDelete`): switching a chart off
 *   or destroying the stack never uninstalls an operator, its CRDs or the resources they hold.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubeObject } from "../lib/kube-object";
import { RESTRICTED_NAMESPACE_LABELS } from "../lib/pod-security";
import { downloadCrd, type ArgoCdInstall } from "./argocd-install";
import type { PlatformChart, PlatformChartName } from "./charts";
import { PROJECT, type StackConfig } from "./config";

/** Argo CD's name for the cluster it runs in. */
export const IN_CLUSTER = "https://kubernetes.default.svc";
export const PLATFORM_PROJECT = "platform";
export const REPOSITORY_SECRET = "slipway-repository";
const MANAGED_BY = { "app.kubernetes.io/managed-by": PROJECT };
/** The Release inputs Argo CD owns after the handover. */
export const HANDED_OVER: readonly string[] = ["chart", "version", "values", "repositoryOpts"];
/** The CRD inputs Argo CD owns after the handover. */
export const CRD_HANDED_OVER: readonly string[] = ["metadata", "spec"];

/** The kinds outside a namespace the platform charts install; Argo CD may sync these and no other. */
export const PLATFORM_CLUSTER_KINDS = [
  { group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration" },
  { group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration" },
  { group: "apiextensions.k8s.io", kind: "CustomResourceDefinition" },
  { group: "rbac.authorization.k8s.io", kind: "ClusterRole" },
  { group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding" },
];

/** How Argo CD logs in to the repository: the fields of its repository Secret that hold credentials. */
export type RepoCredentials = pulumi.Output<{ username: string; password: string } | { sshPrivateKey: string }>;

export interface BootstrapPlan {
  /** The stack's name: the cluster, as `cluster.name` in the environment files. */
  readonly cluster: string;
  readonly config: StackConfig;
  /** Argo CD's namespace, from the environment files. */
  readonly argocdNamespace: string;
  /** The Git source of the root Application, which the platform Applications follow too. */
  readonly repoURL: string;
  readonly targetRevision: string;
  /** The platform charts switched on for this cluster. */
  readonly charts: readonly PlatformChart[];
  /** The Argo CD version and CRDs, where the argocd chart is installed. */
  readonly argocd?: ArgoCdInstall;
  /** dist/argocd/root.yaml, AppProjects first; empty where Argo CD is not installed. */
  readonly rootObjects: readonly KubeObject[];
  /** Set when the repository is private. */
  readonly credentials?: RepoCredentials;
}

export interface BootstrapOutputs {
  readonly cluster: string;
  readonly context: string;
  /** `<release>: <chart> <version> in <namespace>` for each chart installed. */
  readonly charts: string[];
  readonly argocd?: {
    /** The Argo CD version installed, e.g. `v3.5.1`. */
    readonly version: string;
    readonly namespace: string;
    readonly repository: string;
    readonly rootObjects: string[];
    readonly ui: string;
    readonly adminPassword: string;
  };
}

export function namespaceOf(chart: PlatformChart, argocdNamespace: string): string {
  return chart.name === "argocd" ? argocdNamespace : chart.name;
}

const objectName = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
const resourceName = (o: KubeObject) => `root-${o.kind.toLowerCase()}-${o.metadata.name}`;

/** Registers the cluster's resources; call it inside a Pulumi program (or under `pulumi.runtime.setMocks`). */
export function bootstrapCluster(plan: BootstrapPlan): BootstrapOutputs {
  const provider = new k8s.Provider("cluster", { context: plan.config.context });
  const releases = new Map<PlatformChartName, k8s.helm.v3.Release>();
  const namespaces = new Map<PlatformChartName, k8s.core.v1.Namespace>();
  for (const chart of plan.charts) {
    const name = namespaceOf(chart, plan.argocdNamespace);
    const namespace = new k8s.core.v1.Namespace(
      `namespace-${chart.name}`,
      { metadata: { name, labels: { ...RESTRICTED_NAMESPACE_LABELS, ...MANAGED_BY } } },
      { provider, retainOnDelete: true },
    );
    // Argo CD's CRDs come before its chart (it does not install them, bootstrap/argocd-install.ts); every other
    // chart's CRDs are part of its release. Everything that uses a CRD depends on the release.
    const crds = chart.name === "argocd" && plan.argocd ? argocdCrds(plan.argocd, provider) : [];
    const release = new k8s.helm.v3.Release(
      `chart-${chart.name}`,
      {
        name: chart.name,
        namespace: name,
        chart: chart.chart,
        version: chart.version,
        repositoryOpts: { repo: chart.repository },
        values: chart.values,
        createNamespace: false,
        // Argo CD's images and cert-manager's start-up check take minutes on a new cluster.
        timeout: 600,
      },
      { provider, dependsOn: [namespace, ...crds], retainOnDelete: true, ignoreChanges: [...HANDED_OVER] },
    );
    namespaces.set(chart.name, namespace);
    releases.set(chart.name, release);
  }
  const outputs: BootstrapOutputs = {
    cluster: plan.cluster,
    context: plan.config.context,
    charts: plan.charts.map((c) => `${c.name}: ${c.chart} ${c.version} in ${namespaceOf(c, plan.argocdNamespace)}`),
  };
  const argocd = releases.get("argocd");
  const install = plan.argocd;
  if (!argocd || !install) return outputs;

  const ns = plan.argocdNamespace;
  const repository = plan.credentials
    ? new k8s.core.v1.Secret(
        "repository",
        {
          metadata: {
            name: REPOSITORY_SECRET,
            namespace: ns,
            labels: { "argocd.argoproj.io/secret-type": "repository", ...MANAGED_BY },
          },
          stringData: pulumi.secret(
            plan.credentials.apply((credentials) => ({ type: "git", url: plan.repoURL, ...credentials })),
          ),
        },
        { provider, dependsOn: [namespaces.get("argocd")!] },
      )
    : undefined;

  const project = new k8s.apiextensions.CustomResource(
    "platform-project",
    {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AppProject",
      metadata: {
        name: PLATFORM_PROJECT,
        namespace: ns,
        labels: MANAGED_BY,
        finalizers: ["resources-finalizer.argocd.argoproj.io"],
      },
      spec: {
        description: "The platform charts and Argo CD's CRDs the bootstrap installed (bootstrap/charts/, bootstrap/crds/), managed by Argo CD from Git",
        sourceRepos: [plan.repoURL, ...plan.charts.map((c) => c.repository)],
        destinations: plan.charts.map((c) => ({ server: IN_CLUSTER, namespace: namespaceOf(c, ns) })),
        clusterResourceWhitelist: PLATFORM_CLUSTER_KINDS,
      },
    },
    { provider, dependsOn: [argocd] },
  );

  /** The Application through which Argo CD takes over what Pulumi installed from a folder of this repository. */
  const platformApplication = (name: string, source: Record<string, unknown>, namespace: string, installed: pulumi.Resource[]) =>
    new k8s.apiextensions.CustomResource(
      name,
      {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: { name, namespace: ns, labels: MANAGED_BY },
        spec: {
          project: PLATFORM_PROJECT,
          source: { repoURL: plan.repoURL, targetRevision: plan.targetRevision, ...source },
          destination: { server: IN_CLUSTER, namespace },
          syncPolicy: {
            // No prune: an object a new chart version drops waits for a person, and CRDs are never deleted.
            automated: { prune: false, selfHeal: true },
            // Argo CD's own CRDs are too large for client-side apply (argo-cd docs/operator-manual/declarative-setup.md).
            syncOptions: ["ServerSideApply=true"],
          },
        },
      },
      { provider, dependsOn: [argocd, project, ...installed] },
    );
  for (const chart of plan.charts) {
    // The release name Pulumi installed under: the same name renders the same objects.
    const source = { path: chart.path, helm: { releaseName: chart.name } };
    platformApplication(`platform-${chart.name}`, source, namespaceOf(chart, ns), [releases.get(chart.name)!]);
  }
  platformApplication("platform-argocd-crds", { path: install.crdsPath }, ns, []);

  // The root syncs every environment's Applications: the operators this cluster gets must be up first, and a
  // private repository readable.
  const before = [argocd, ...releases.values(), ...(repository ? [repository] : [])];
  const projects: pulumi.Resource[] = [];
  for (const object of plan.rootObjects) {
    const resource = new k8s.apiextensions.CustomResource(resourceName(object), object, {
      provider,
      dependsOn: object.kind === "AppProject" ? [argocd] : [...before, ...projects],
    });
    if (object.kind === "AppProject") projects.push(resource);
  }

  return {
    ...outputs,
    argocd: {
      version: install.version,
      namespace: ns,
      repository: `${plan.repoURL} (${plan.config.repoAuth === "none" ? "public" : `${plan.config.repoAuth}, in Secret ${REPOSITORY_SECRET}`})`,
      rootObjects: plan.rootObjects.map(objectName),
      ui: `kubectl --context ${plan.config.context} -n ${ns} port-forward svc/argocd-server 8080:443`,
      adminPassword: `kubectl --context ${plan.config.context} -n ${ns} get secret argocd-initial-admin-secret -o jsonpath='{.data.password}' | base64 -d`,
    },
  };
}

/**
 * Argo CD's CRDs, downloaded at `pulumi up` from the URLs of bootstrap/crds/argocd/, which Argo CD syncs later.
 * Pulumi's Kubernetes provider applies server-side by default (v4), which CRDs this large need.
 */
function argocdCrds(install: ArgoCdInstall, provider: k8s.Provider): k8s.apiextensions.v1.CustomResourceDefinition[] {
  return install.crds.map((file) => {
    const crd = downloadCrd(file);
    return new k8s.apiextensions.v1.CustomResourceDefinition(
      `argocd-crd-${file.name}`,
      { metadata: crd.then((o) => o.metadata), spec: crd.then((o) => o.spec as k8s.types.input.apiextensions.v1.CustomResourceDefinitionSpec) },
      { provider, retainOnDelete: true, ignoreChanges: [...CRD_HANDED_OVER] },
    );
  });
}
