/**
 * Which Argo CD the bootstrap installs, and its CRDs.
 *
 * The argo-cd chart (bootstrap/charts/argocd/) runs the version its values name in `global.image.tag`, stated
 * there rather than left to the chart's appVersion, which Git does not show. The newest argo-cd chart, 10.1.1,
 * ships Argo CD 3.4's CRDs, and the objects dist/argocd/ renders need 3.5's; so the chart's CRDs are off
 * (`crds.install: false`) and Argo CD's own CRDs at the image's tag come from bootstrap/crds/argocd/, a
 * kustomization of their URLs in argoproj/argo-cd, as argo-helm's README says for CRDs managed outside the chart
 * (charts/argo-cd/README.md, "Custom resource definitions"). `pulumi up` installs those URLs on a new cluster;
 * Argo CD renders the same kustomization from Git afterwards (the Application `platform-argocd-crds`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseDocument } from "yaml";
import { ConfigError } from "../lib/errors";
import type { KubeObject } from "../lib/kube-object";
import type { PlatformChart } from "./charts";

/** The kustomization of Argo CD's CRDs, relative to the repository root (Argo CD reads it there). */
export const ARGOCD_CRDS_PATH = "bootstrap/crds/argocd";

/** One CRD file of argoproj/argo-cd's manifests/crds/ at a tag. */
export interface CrdFile {
  /** The file's name without `.yaml`, e.g. `application-crd`. */
  readonly name: string;
  readonly url: string;
}

export interface ArgoCdInstall {
  /** The Argo CD version the chart runs, e.g. `v3.5.1`: its image tag, and the tag of its CRDs. */
  readonly version: string;
  /** The folder of the CRDs' kustomization: the path of its Argo CD Application. */
  readonly crdsPath: string;
  readonly crds: readonly CrdFile[];
}

const VERSION = /^v[0-9]+\.[0-9]+\.[0-9]+$/;
const CRD_URL = /^https:\/\/raw\.githubusercontent\.com\/argoproj\/argo-cd\/([^/]+)\/manifests\/crds\/([a-z-]+)\.yaml$/;

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Checks the Argo CD chart's version and CRD settings against bootstrap/crds/argocd/; throws ConfigError naming each file and field. */
export function readArgoCdInstall(repoRoot: string, chart: PlatformChart): ArgoCdInstall {
  const valuesFile = `${chart.path}/values.yaml`;
  const kustomizationFile = `${ARGOCD_CRDS_PATH}/kustomization.yaml`;
  const problems: string[] = [];

  const image = isMapping(chart.values.global) ? chart.values.global.image : undefined;
  const version = isMapping(image) ? image.tag : undefined;
  if (typeof version !== "string" || !VERSION.test(version)) {
    problems.push(
      `${valuesFile}: ${chart.chart}.global.image.tag: expected the exact Argo CD version to run, such as v3.5.1 (the chart's default, its appVersion, is not in Git), got ${JSON.stringify(version)}`,
    );
  }
  const crds = isMapping(chart.values.crds) ? chart.values.crds : {};
  if (crds.install !== false) {
    problems.push(
      `${valuesFile}: ${chart.chart}.crds.install: expected false (Argo CD's CRDs come from ${kustomizationFile}, at the image's tag), got ${JSON.stringify(crds.install)}`,
    );
  }

  const doc = parseDocument(readFileSync(join(repoRoot, kustomizationFile), "utf8"), { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) throw new ConfigError([...problems, ...doc.errors.map((e) => `${kustomizationFile}: YAML syntax error: ${e.message.split("\n")[0]}`)]);
  const kustomization = doc.toJS() as unknown;
  const extra = isMapping(kustomization) ? Object.keys(kustomization).filter((key) => !["apiVersion", "kind", "resources"].includes(key)) : [];
  if (extra.length) {
    problems.push(`${kustomizationFile}: ${extra.join(", ")}: not supported: the bootstrap installs the resources as they are, so Argo CD must render them unchanged`);
  }
  const resources = isMapping(kustomization) ? kustomization.resources : undefined;
  const files: CrdFile[] = [];
  if (!Array.isArray(resources) || resources.length === 0) {
    problems.push(`${kustomizationFile}: resources: expected the URLs of Argo CD's CRDs, got ${JSON.stringify(resources)}`);
  } else {
    resources.forEach((url, i) => {
      const match = typeof url === "string" ? CRD_URL.exec(url) : null;
      if (!match) {
        problems.push(`${kustomizationFile}: resources[${i}]: expected https://raw.githubusercontent.com/argoproj/argo-cd/<tag>/manifests/crds/<file>.yaml, got ${JSON.stringify(url)}`);
      } else if (match[1] !== version) {
        problems.push(`${kustomizationFile}: resources[${i}]: expected the CRDs of the Argo CD version ${valuesFile} runs (${version}), got tag ${match[1]}; change both in one pull request`);
      } else {
        files.push({ name: match[2], url: match[0] });
      }
    });
  }
  if (problems.length) throw new ConfigError(problems);
  return { version: version as string, crdsPath: ARGOCD_CRDS_PATH, crds: files };
}

/** Downloads one CRD file (at `pulumi up`); an unreachable URL or anything but one CRD is an error naming it. */
export async function downloadCrd(file: CrdFile): Promise<KubeObject> {
  const response = await fetch(file.url);
  if (!response.ok) {
    throw new Error(`${file.url} (${ARGOCD_CRDS_PATH}/kustomization.yaml): HTTP ${response.status} ${response.statusText}`);
  }
  const object = parse(await response.text()) as KubeObject | null;
  if (object?.apiVersion !== "apiextensions.k8s.io/v1" || object.kind !== "CustomResourceDefinition") {
    throw new Error(`${file.url} (${ARGOCD_CRDS_PATH}/kustomization.yaml): expected one apiextensions.k8s.io/v1 CustomResourceDefinition, got ${object?.apiVersion} ${object?.kind}`);
  }
  return object;
}
