/**
 * Validation against the CRDs a cluster really serves: Argo CD 3.5.0's (the minimum version Slipway names)
 * and External Secrets 0.17.0's (the version @kubernetes-models/external-secrets models), committed as
 * fixtures beside these tests and compiled with ajv.
 *
 * Strict as the API server's field validation is: an object with `properties` and no
 * `x-kubernetes-preserve-unknown-fields` accepts no other field (an older server would prune or refuse
 * it). `x-kubernetes-int-or-string` becomes an integer-or-string; CEL rules (`x-kubernetes-validations`) and
 * formats are not evaluated: the API server checks those, not this test.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ErrorObject } from "ajv";
import { loadAll } from "js-yaml";

export const ARGOCD_CRDS = join(__dirname, "../fixtures/crds/argo-cd-v3.5.0");
export const ESO_CRDS = join(__dirname, "../fixtures/crds/external-secrets-v0.17.0");

type Schema = Record<string, unknown>;

const parsed = new Map<string, Map<string, Schema>>();

interface Crd {
  spec: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema: { openAPIV3Schema: Schema } }[] };
}

/** The OpenAPI schema of a CRD version as a strict JSON schema ajv compiles. */
export function strict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strict);
  if (node === null || typeof node !== "object") return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    if (key.startsWith("x-kubernetes-") || key === "format" || key === "description") continue;
    out[key] = key === "properties" ? Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, strict(v)])) : strict(value);
  }
  const source = node as Schema;
  if (source["x-kubernetes-int-or-string"] === true) return { ...out, anyOf: [{ type: "integer" }, { type: "string" }] };
  if (out.properties !== undefined && out.additionalProperties === undefined && source["x-kubernetes-preserve-unknown-fields"] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * `apiVersion/kind` → validator for every served version of every CRD in `dir`. Each object is checked
 * against the schema pruned to its own shape: a property the object leaves out keeps its name (unknown
 * fields stay refused) but not its subschema, which it never reaches. Same verdict, and the ApplicationSet
 * CRD (1.5 MB) compiles in milliseconds instead of seconds.
 */
export function loadCrds(dir: string): Map<string, (object: unknown) => ErrorObject[]> {
  const ajv = new Ajv({ allErrors: true, strict: false });
  return new Map(
    [...crdSchemas(dir)].map(([key, schema]) => {
      const full = strict(schema) as Schema;
      return [
        key,
        (object: unknown) => {
          const validate = ajv.compile(prune(full, object));
          return validate(object) ? [] : [...(validate.errors ?? [])];
        },
      ];
    }),
  );
}

/** Every key any of `values` has, merged deeply: the shape a list's elements or a map's values share. */
function merge(values: readonly unknown[]): unknown {
  const objects = values.filter((v): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v));
  if (objects.length === 0) {
    const arrays = values.filter(Array.isArray);
    return arrays.length ? [merge(arrays.flat())] : values[0];
  }
  const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  return Object.fromEntries(keys.map((k) => [k, merge(objects.map((o) => o[k]).filter((v) => v !== undefined))]));
}

/** `schema` with the subschemas `value` never reaches replaced by `{}`. */
function prune(schema: Schema, value: unknown): Schema {
  const out: Schema = { ...schema };
  for (const combinator of ["anyOf", "oneOf", "allOf"]) {
    if (Array.isArray(schema[combinator])) out[combinator] = (schema[combinator] as Schema[]).map((s) => prune(s, value));
  }
  if (Array.isArray(value)) {
    if (schema.items && typeof schema.items === "object") out.items = prune(schema.items as Schema, merge(value));
    return out;
  }
  if (value === null || typeof value !== "object") return out;
  const record = value as Record<string, unknown>;
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties as Record<string, Schema>).map(([k, s]) => [k, k in record ? prune(s, record[k]) : {}]),
    );
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
    out.additionalProperties = prune(schema.additionalProperties as Schema, merge(Object.values(record)));
  }
  return out;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath.replace(/^\//, "").replace(/\/(\d+)(?=\/|$)/g, "[$1]").replace(/\//g, ".") || "(root)";
  if (e.keyword === "additionalProperties") return `${where}: unknown field '${String(e.params.additionalProperty)}'`;
  return `${where}: ${e.message ?? e.keyword}`;
}

/** Problems of each object against the CRDs of `validators`, one line each; a kind without a CRD is one. */
export function crdProblems(validators: ReadonlyMap<string, (object: unknown) => ErrorObject[]>, objects: readonly unknown[]): string[] {
  return objects.flatMap((object) => {
    const o = object as { apiVersion: string; kind: string; metadata?: { name?: string } };
    const name = `${o.kind} '${o.metadata?.name}'`;
    const validate = validators.get(`${o.apiVersion}/${o.kind}`);
    if (!validate) return [`${name}: no CRD for ${o.apiVersion} ${o.kind}`];
    return [...new Set(validate(object).filter((e) => e.keyword !== "anyOf").map((e) => `${name}: ${describe(e)}`))];
  });
}

let argoCd: ReturnType<typeof loadCrds> | undefined;
/** Problems of Argo CD objects against Argo CD 3.5.0's CRDs. */
export const argoCdProblems = (objects: readonly unknown[]) => crdProblems((argoCd ??= loadCrds(ARGOCD_CRDS)), objects);

/**
 * Fields a CRD defaults inside list items that an object leaves out, as `path: default`. A diff that merges
 * the desired list into the live one without the CRD's defaults (Argo CD's with ServerSideApply=true) sees
 * these as drift forever: lists in these CRDs are atomic (no x-kubernetes-list-type).
 */
export function missingListDefaults(crdDir: string, object: { apiVersion: string; kind: string }): string[] {
  const schema = crdSchemas(crdDir).get(`${object.apiVersion}/${object.kind}`);
  if (!schema) return [`no CRD for ${object.apiVersion} ${object.kind}`];
  const missing: string[] = [];
  const walk = (node: Schema, value: unknown, path: string, inList: boolean) => {
    if (Array.isArray(value) && node.items) {
      value.forEach((v, i) => walk(node.items as Schema, v, `${path}[${i}]`, true));
      return;
    }
    if (value === null || typeof value !== "object" || !node.properties) return;
    for (const [key, child] of Object.entries(node.properties as Record<string, Schema>)) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) {
        if (inList && child.default !== undefined) missing.push(`${path}.${key}: ${JSON.stringify(child.default)}`);
      } else walk(child, v, `${path}.${key}`, inList);
    }
  };
  walk(schema, object, "", false);
  return missing.map((m) => m.replace(/^\./, ""));
}

/** The raw OpenAPI schema of every served CRD version in `dir`, by `apiVersion/kind`; read once. */
function crdSchemas(dir: string): Map<string, Schema> {
  const known = parsed.get(dir);
  if (known) return known;
  const schemas = new Map<string, Schema>();
  parsed.set(dir, schemas);
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
    // js-yaml: these files are megabytes, and it reads them several times faster than the yaml package.
    for (const doc of loadAll(readFileSync(join(dir, file), "utf8"))) {
      const crd = doc as Crd | null;
      for (const version of crd?.spec?.versions?.filter((v) => v.served) ?? []) {
        schemas.set(`${crd!.spec.group}/${version.name}/${crd!.spec.names.kind}`, version.schema.openAPIV3Schema);
      }
    }
  }
  return schemas;
}
