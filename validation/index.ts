/**
 * Slipway's validation gate: every rendered object against the published schemas and the policy
 * pack (validation/policies/), before anything is written to dist/. Used by `npm run synth` and
 * `npm run validate [path]`; documented in docs/validation.md.
 */
export { validate, isKustomization, type ValidateOptions } from "./engine";
export { formatFindings, formatReport, type FormatOptions } from "./report";
export { RULES, RULE_GROUPS } from "./policies";
export { ALLOW_ANNOTATION } from "./exceptions";
export * from "./types";
