/** The validation gate's vocabulary: what a rule sees, what it says, and what the report holds. */
import type { KubeObject } from "../lib/kube-object";
import type { Scope } from "./lib/scope";

export type Severity = "error" | "warning";

/** Per-folder strictness, taken from the environment file's `policy:` section (environments/schema.ts Policy). */
export interface Profile {
  requireImageDigests: boolean;
  highAvailability: boolean;
  requireBackups: boolean;
}

export const DEFAULT_PROFILE: Profile = { requireImageDigests: false, highAvailability: false, requireBackups: false };
export const STRICT_PROFILE: Profile = { requireImageDigests: true, highAvailability: true, requireBackups: true };

/** One problem on one object, as printed: `path: kind/name: field: message`. */
export interface Finding {
  /** The file, relative to the validated folder (e.g. `prod/web/api.yaml`). */
  readonly path: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** Where in the object, e.g. `spec.template.spec.containers[0].image` (in a List file, `items[2].spec...`). */
  readonly field: string;
  /** A policy rule id, or `schema` / `allow-annotation` for the gate's own checks. */
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
}

/** A finding waived by the object's `slipway.dev/allow` annotation, with the reason given there. */
export interface AllowedFinding extends Finding {
  readonly reason: string;
}

export interface ValidationReport {
  /** Findings not waived, in file order, then object order, then rule order. */
  readonly findings: readonly Finding[];
  readonly allowed: readonly AllowedFinding[];
  readonly counts: {
    readonly files: number;
    readonly objects: number;
    readonly errors: number;
    readonly warnings: number;
    readonly allowed: number;
  };
}

/** What a rule reports; the engine adds the file, the object and the rule. */
export interface Violation {
  readonly field: string;
  readonly message: string;
}

export interface RuleContext {
  readonly profile: Profile;
  /** The objects of the same folder and namespace, for rules that judge objects together. */
  readonly scope: Scope;
  /** Every object of the same folder (one Argo CD Application), whatever its namespace. */
  readonly folder: Scope;
  /** Credential-looking values the secret scanner found in this object. */
  readonly credentials: readonly Violation[];
}

/** One policy: judges one plain object (any YAML, not just ours), with its scope for cross-object checks. */
export interface Rule {
  readonly id: string;
  readonly severity: Severity;
  /** One line: what the rule demands. */
  readonly title: string;
  /** Why it matters, for the docs and for whoever is tempted to add an exception. */
  readonly rationale: string;
  /** Where the requirement comes from. */
  readonly link: string;
  /**
   * Whether `slipway.dev/allow` may waive it. The Pod Security "restricted" rules and the secret rules
   * hold for every object: the namespace enforces the first anyway, and a committed secret is leaked.
   */
  readonly waivable: boolean;
  check(object: KubeObject, context: RuleContext): readonly Violation[];
}
