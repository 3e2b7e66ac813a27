/**
 * A rendered tree (dist/ or any folder of YAML) as objects grouped the way a reviewer reads them:
 * environment → stack → object. Paths follow dist/'s layout: `<env>/<stack>/<file>.yaml`, and
 * `argocd/<file>.yaml` for the Argo CD objects every environment shares.
 */
import { loadAll } from "js-yaml";
import type { KubeObject, RenderedFile } from "../lib/kube-object";
import { byCodePoint } from "../lib/order";

/** An environment's stack folder (`prod/web`), or a top-level folder of its own (`argocd`). */
export interface Group {
  readonly env: string;
  readonly stack?: string;
}

export interface PlacedObject {
  /** Identity within its group: kind, namespace and name (the file, for objects without a name). */
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** File name within the group's folder. */
  readonly file: string;
  readonly object: KubeObject;
}

export function groupOf(path: string): Group & { file: string } {
  const parts = path.split("/");
  const file = parts.pop()!;
  return parts.length >= 2 ? { env: parts[0], stack: parts.slice(1).join("/"), file } : { env: parts[0] ?? "", file };
}

export const groupKey = (g: Group): string => (g.stack === undefined ? g.env : `${g.env}/${g.stack}`);

/** The objects of YAML texts by path (every document of every `.yaml` file). */
export function parseTexts(texts: ReadonlyMap<string, string>): RenderedFile[] {
  return [...texts]
    .filter(([path]) => /\.ya?ml$/.test(path))
    .sort(([a], [b]) => byCodePoint(a, b))
    .map(([path, text]) => ({
      path,
      objects: loadAll(text).filter((d): d is KubeObject => d !== null && typeof d === "object" && !Array.isArray(d)),
    }));
}

/**
 * Both sides of a diff, parsed. A file with the same text on both sides holds the same objects, which can
 * differ in nothing: it is kept on both sides (its folder still counts as there and unchanged) but left
 * unparsed, with no objects. Most of a pull request's files are such files.
 */
export function parseChanged(base: ReadonlyMap<string, string>, head: ReadonlyMap<string, string>): [RenderedFile[], RenderedFile[]] {
  const changedOnly = (texts: ReadonlyMap<string, string>, other: ReadonlyMap<string, string>) =>
    new Map([...texts].map(([path, text]) => [path, other.get(path) === text ? "" : text]));
  return [parseTexts(changedOnly(base, head)), parseTexts(changedOnly(head, base))];
}

export interface PlacedGroup {
  readonly group: Group;
  /** By identity. */
  readonly objects: Map<string, PlacedObject>;
}

/**
 * Objects by group key, then by identity. `ignoreNamespace` matches objects across environments, whose
 * stacks live in namespaces of their own.
 */
export function placeObjects(files: readonly RenderedFile[], ignoreNamespace = false): Map<string, PlacedGroup> {
  const groups = new Map<string, PlacedGroup>();
  for (const file of files) {
    const where = groupOf(file.path);
    const group: Group = where.stack === undefined ? { env: where.env } : { env: where.env, stack: where.stack };
    const key = groupKey(group);
    const objects = groups.get(key)?.objects ?? new Map<string, PlacedObject>();
    groups.set(key, { group, objects });
    for (const object of file.objects) {
      const kind = typeof object.kind === "string" ? object.kind : "";
      const name = typeof object.metadata?.name === "string" ? object.metadata.name : "";
      const namespace = typeof object.metadata?.namespace === "string" ? object.metadata.namespace : undefined;
      const group = typeof object.apiVersion === "string" && object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : "";
      const id = name ? `${group}/${kind}/${ignoreNamespace ? "" : (namespace ?? "")}/${name}` : `${group}/${kind}//(${where.file})`;
      objects.set(id, { id, kind, name: name || where.file, ...(namespace !== undefined ? { namespace } : {}), file: where.file, object });
    }
  }
  return groups;
}
