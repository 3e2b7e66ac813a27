/**
 * The `app.kubernetes.io/*` labels, in one place. Stack-wide labels (part-of, instance, managed-by) are set
 * once on the chart; a component adds its own name, role and version, and selects its pods by name + instance.
 */
import { Chart } from "cdk8s";
import type { IConstruct } from "constructs";

export const LABEL = {
  name: "app.kubernetes.io/name",
  instance: "app.kubernetes.io/instance",
  component: "app.kubernetes.io/component",
  partOf: "app.kubernetes.io/part-of",
  version: "app.kubernetes.io/version",
  managedBy: "app.kubernetes.io/managed-by",
} as const;

/** The labels a stack's chart puts on every object. */
export function stackLabels(stack: string): Record<string, string> {
  return { [LABEL.partOf]: stack, [LABEL.instance]: stack, [LABEL.managedBy]: "slipway" };
}

/** Labels that pick a component's pods: its name plus the stack instance when the chart has one. */
export function selectorLabels(scope: IConstruct, name: string): Record<string, string> {
  const instance = Chart.of(scope).labels[LABEL.instance];
  return instance ? { [LABEL.name]: name, [LABEL.instance]: instance } : { [LABEL.name]: name };
}

/** Labels of a component's objects (the chart adds the stack-wide ones); `kind` is what it is, e.g. `database`. */
export function componentLabels(name: string, kind: string, version?: string): Record<string, string> {
  return { [LABEL.name]: name, [LABEL.component]: kind, ...(version ? { [LABEL.version]: version } : {}) };
}
