/**
 * How a policy rule is declared: its id and what it demands, a check for each level it judges (the pod
 * spec of objects that run pods, each container of that pod, any object), then why and where the
 * requirement comes from. The walking, the kind filter and the defaults live here once, so a rule file
 * holds only its own condition.
 */
import type { KubeObject } from "../../lib/kube-object";
import type { Rule, RuleContext, Severity, Violation } from "../types";
import { containers, podSpec, type Container, type ContainerKind, type PodSpec } from "./pods";

/** What a check finds: nothing, one violation or several (undefined entries are dropped). */
export type Found = Violation | readonly (Violation | undefined)[] | undefined;

export interface RuleSpec {
  readonly id: string;
  /** @default "error" */
  readonly severity?: Severity;
  readonly title: string;
  readonly rationale: string;
  readonly link: string;
  /** @default true; see Rule.waivable */
  readonly waivable?: boolean;
  /** Only objects of these kinds are judged. @default every kind */
  readonly kinds?: readonly string[];
  /** Judges the pod spec of an object that runs pods; runs first. */
  pod?(pod: PodSpec, context: RuleContext, object: KubeObject): Found;
  /** Judges each container of the pod (of the types in `containerTypes`), in order; runs after `pod`. */
  container?(c: Container, pod: PodSpec, context: RuleContext, object: KubeObject): Found;
  /** @default init, regular and ephemeral containers (the Pod Security Standards judge them all) */
  readonly containerTypes?: readonly ContainerKind[];
  /** Judges the whole object; runs last. */
  check?(object: KubeObject, context: RuleContext): Found;
}

function flat(found: Found): readonly Violation[] {
  if (found === undefined) return [];
  return Array.isArray(found) ? (found as readonly (Violation | undefined)[]).filter((v) => v !== undefined) : [found as Violation];
}

export function defineRule(spec: RuleSpec): Rule {
  const kinds = spec.kinds && new Set(spec.kinds);
  return {
    id: spec.id,
    severity: spec.severity ?? "error",
    title: spec.title,
    rationale: spec.rationale,
    link: spec.link,
    waivable: spec.waivable ?? true,
    check(object, context) {
      if (kinds && !kinds.has(object.kind)) return [];
      const out: Violation[] = [];
      const pod = spec.pod || spec.container ? podSpec(object) : undefined;
      if (pod) {
        if (spec.pod) out.push(...flat(spec.pod(pod, context, object)));
        if (spec.container) for (const c of containers(pod, spec.containerTypes)) out.push(...flat(spec.container(c, pod, context, object)));
      }
      if (spec.check) out.push(...flat(spec.check(object, context)));
      return out;
    },
  };
}
