/** The objects a pod needs by name before it can start: ConfigMaps, Secrets and claims, wherever the pod spec names them. */
import { containers, label, type Container, type PodSpec } from "./pods";
import { at, field, list, record, text } from "./values";

export interface Reference {
  readonly kind: "ConfigMap" | "Secret" | "PersistentVolumeClaim";
  readonly name: string;
  /** Field path of the name in the object. */
  readonly field: string;
  /** `container 'api': ` when a container's env names it, for messages; empty for pod-level references. */
  readonly who: string;
  /** Marked `optional: true`: the pod starts without it. */
  readonly optional: boolean;
}

type Kind = Reference["kind"];

function reference(kind: Kind, holder: unknown, nameKey: string, path: string, who = ""): Reference[] {
  const name = text(at(holder, nameKey));
  return name ? [{ kind, name, field: field(path, nameKey), who, optional: at(holder, "optional") === true }] : [];
}

/** Volume sources that name an object, with the key holding its name. */
const VOLUME_SOURCES: readonly [string, Kind, string][] = [
  ["configMap", "ConfigMap", "name"],
  ["secret", "Secret", "secretName"],
  ["persistentVolumeClaim", "PersistentVolumeClaim", "claimName"],
];

const PROJECTED_SOURCES: readonly [string, Kind][] = [
  ["configMap", "ConfigMap"],
  ["secret", "Secret"],
];

function containerReferences(c: Container): Reference[] {
  const who = `${label(c)}: `;
  return [
    ...list(c.container.env).flatMap((env, i) => {
      const from = field(c.path, "env", i, "valueFrom");
      return [
        ...reference("ConfigMap", at(env, "valueFrom", "configMapKeyRef"), "name", field(from, "configMapKeyRef"), who),
        ...reference("Secret", at(env, "valueFrom", "secretKeyRef"), "name", field(from, "secretKeyRef"), who),
      ];
    }),
    ...list(c.container.envFrom).flatMap((source, i) => [
      ...reference("ConfigMap", at(source, "configMapRef"), "name", field(c.path, "envFrom", i, "configMapRef"), who),
      ...reference("Secret", at(source, "secretRef"), "name", field(c.path, "envFrom", i, "secretRef"), who),
    ]),
  ];
}

/** Every reference of the pod spec, in field order: volumes, image pull secrets, then each container's env and envFrom. */
export function podReferences(pod: PodSpec): Reference[] {
  return [
    ...list(pod.spec.volumes).flatMap((volume, i) => [
      ...VOLUME_SOURCES.flatMap(([source, kind, nameKey]) => reference(kind, at(volume, source), nameKey, field(pod.path, "volumes", i, source))),
      ...list(at(volume, "projected", "sources")).flatMap((projection, j) =>
        PROJECTED_SOURCES.flatMap(([source, kind]) => reference(kind, at(projection, source), "name", field(pod.path, "volumes", i, "projected", "sources", j, source))),
      ),
    ]),
    ...list(pod.spec.imagePullSecrets).flatMap((secret, i) => reference("Secret", record(secret), "name", field(pod.path, "imagePullSecrets", i))),
    ...containers(pod).flatMap(containerReferences),
  ];
}
