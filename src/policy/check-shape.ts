import type { z } from "zod";
import { didYouMean } from "../errors/index.js";
import { PolicyProblem } from "./codes.js";
import { type PolicyFile, policySchema, schemeSchema } from "./schema.js";
import type { SourceMap } from "./source-map.js";

const KINDS = ["thresholds", "rules", "scorecard", "pareto", "quantiles", "rfm"] as const;

type Path = readonly (string | number)[];

export interface ShapeCheck {
  /** The structural problems, each located, with did-you-mean on unknown keys. */
  readonly problems: PolicyProblem[];
  /**
   * The file with every malformed part left out (a misspelt key read as the
   * key it suggests, other unknown keys dropped, bad optional values removed,
   * a top-level section that cannot be mended dropped), so the semantic
   * checks run on everything that is well formed.
   */
  readonly data: PolicyFile;
  /** Schemes (by index) that cannot be mended: they are not checked further. */
  readonly brokenSchemes: ReadonlySet<number>;
  /**
   * Schemes whose tier bounds or weights lost a value (`mn: 100` is dropped,
   * `min: abc` removed): their tier-order and weight problems would follow from
   * the mending, not from the file, so the caller leaves those out.
   */
  readonly mendedBounds: ReadonlySet<number>;
  /** Custom metrics left out as malformed: expressions naming them are not faulted for it. */
  readonly malformedMetrics: ReadonlySet<string>;
}

/** Keys whose loss changes which tiers are reachable or how weights sum. */
const BOUND_KEYS: ReadonlySet<string> = new Set([
  "min",
  "above",
  "keep",
  "up_to",
  "top",
  "r",
  "f",
  "when",
  "rules",
  "otherwise",
  "order",
  "grade_by",
  "weight",
  "indicators",
  "tiers",
]);

// The zod internals the key walk needs (zod 4 keeps each schema's definition in `_zod.def`).
interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly discriminator?: string;
  readonly values?: readonly unknown[];
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let d = defOf(s); d.innerType && d.type !== "object"; d = defOf(s)) s = d.innerType;
  return s;
}

/** The object schemas that may hold the value at `path` (a discriminated union picks by the data's `kind`). */
function objectsAt(schema: z.ZodType, path: Path, data: unknown): z.ZodType[] {
  const s = unwrap(schema);
  const d = defOf(s);
  if (d.type === "union" && d.options) {
    const options = d.discriminator
      ? d.options.filter((o) => {
          const literal = defOf(unwrap(defOf(unwrap(o)).shape?.[d.discriminator as string] as z.ZodType));
          return literal.values?.includes((data as Record<string, unknown> | undefined)?.[d.discriminator as string]);
        })
      : d.options;
    return options.flatMap((o) => objectsAt(o, path, data));
  }
  if (path.length === 0) return d.type === "object" ? [s] : [];
  const [head, ...rest] = path;
  const child = (data as Record<string | number, unknown> | undefined)?.[head as string | number];
  if (d.type === "object" && typeof head === "string" && d.shape?.[head]) return objectsAt(d.shape[head], rest, child);
  if (d.type === "array" && typeof head === "number" && d.element) return objectsAt(d.element, rest, child);
  if (d.type === "record" && typeof head === "string" && d.valueType) return objectsAt(d.valueType, rest, child);
  return [];
}

/** The keys the policy format allows in the mapping at `path` of the file. */
export function knownKeys(path: Path, data: unknown): string[] {
  const keys = objectsAt(policySchema, path, data).flatMap((o) => Object.keys(defOf(o).shape ?? {}));
  return [...new Set(keys)];
}

/** The known key `word` probably means, if one is close. */
function suggestion(word: string, known: readonly string[]): string | undefined {
  return didYouMean(word, known)?.match(/^did you mean (.*)\?$/)?.[1];
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object";

function getIn(root: unknown, path: Path): unknown {
  let v = root;
  for (const p of path) v = isRecord(v) ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

function deleteIn(root: unknown, path: Path): boolean {
  const parent = getIn(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (!isRecord(parent) || Array.isArray(parent) || typeof last !== "string" || !(last in parent)) return false;
  delete parent[last];
  return true;
}

const startsWith = (path: Path, prefix: Path) => prefix.length <= path.length && prefix.every((p, i) => path[i] === p);

/**
 * Validate `value` (at `prefix` in the file) against `schema`, reporting each
 * problem once and mending what can be mended: an unknown key becomes the key
 * it suggests (or is dropped), a bad value under a mapping key is removed.
 * `ok` is false when the value stays invalid (a required part is malformed);
 * `lost` collects the keys whose values were left out.
 */
function mend(
  schema: z.ZodType,
  value: unknown,
  prefix: Path,
  data: unknown,
  map: SourceMap,
  out: PolicyProblem[],
  lost: string[] = [],
): { ok: boolean; value: unknown } {
  const current = structuredClone(value);
  const removed: Path[] = [];
  const reported = new Set<string>();
  // Misspelt keys checked under the key they suggest: a problem with their value is theirs, already reported.
  const renamed: Path[] = [];
  for (let round = 0; round < 20; round++) {
    const result = schema.safeParse(current);
    if (result.success) return { ok: true, value: current };
    let progressed = false;
    // Unknown keys first: a key read as the one it suggests also answers that key's "required".
    const issues = result.error.issues.flatMap(branchIssues);
    const ordered = [
      ...issues.filter((i) => i.code === "unrecognized_keys"),
      ...issues.filter((i) => i.code !== "unrecognized_keys"),
    ];
    const renamedNow: Path[] = [];
    for (const issue of ordered) {
      const local = issue.path as (string | number)[];
      // A problem caused by removing a malformed value: that value was required, so the part cannot be mended.
      if (removed.some((r) => startsWith(local, r))) return { ok: false, value: current };
      if (renamedNow.some((r) => startsWith(local, r))) continue;
      const guess = renamed.find((r) => startsWith(local, r));
      if (guess) {
        deleteIn(current, guess);
        removed.push(guess);
        lost.push(String(guess[guess.length - 1]));
        progressed = true;
        continue;
      }
      const signature = `${issue.code} ${JSON.stringify(local)}`;
      if (!reported.has(signature)) out.push(...explain(issue, [...prefix, ...local], data, map));
      reported.add(signature);
      if (issue.code === "unrecognized_keys") {
        const target = getIn(current, local);
        if (isRecord(target))
          for (const key of issue.keys) {
            // A key with a close known one is checked as if it were spelt right (`mn: 5` as `min: 5`).
            const meant = suggestion(key, knownKeys([...prefix, ...local], data));
            if (meant !== undefined && !(meant in target)) {
              target[meant] = target[key];
              renamed.push([...local, meant]);
              renamedNow.push([...local, meant]);
            } else lost.push(key);
            delete target[key];
          }
        progressed = true;
        continue;
      }
      // Remove the value under the nearest mapping key (an array element is never removed: that would shift indexes).
      let k = local.length;
      while (k > 0 && typeof local[k - 1] !== "string") k--;
      const at = local.slice(0, k);
      if (at.length > 0 && deleteIn(current, at)) {
        removed.push(at);
        lost.push(String(at[at.length - 1]));
        progressed = true;
      }
    }
    if (!progressed) return { ok: false, value: current };
  }
  return { ok: false, value: current };
}

/**
 * A value that fits none of a union's forms: the issues of the form it comes
 * closest to (no mismatch at its root, fewest problems, fewest at the root),
 * so `bands: [{ min: 0, pints: 10 }]` reports the unknown key `pints`.
 */
function branchIssues(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== "invalid_union" || "note" in issue || !issue.errors?.length) return [issue];
  const rootMismatch = (i: z.core.$ZodIssue) =>
    i.path.length === 0 && (i.code === "invalid_type" || i.code === "invalid_value" || i.code === "invalid_union");
  const score = (branch: z.core.$ZodIssue[]) => branch.length + 10 * branch.filter((i) => i.path.length === 0).length;
  const best = issue.errors
    .filter((branch) => branch.length > 0 && !branch.some(rootMismatch))
    .sort((a, b) => score(a) - score(b))[0];
  if (!best) return [issue];
  return best.flatMap((i) => branchIssues({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue));
}

/** One zod issue as located problems: unknown keys with did-you-mean, wrong kinds, missing values. */
function explain(issue: z.core.$ZodIssue, path: (string | number)[], data: unknown, map: SourceMap): PolicyProblem[] {
  const where = path.join(".") || "the file";
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => {
      const known = knownKeys(path, data);
      const hint = didYouMean(key, known) ?? (known.length ? `known keys: ${known.join(", ")}` : undefined);
      return new PolicyProblem("policy.unknown-key", { key, where }, map.locate([...path, key], true), hint);
    });
  }
  if (path[0] === "version") {
    return [new PolicyProblem("policy.version", {}, map.locate(path), "start the file with version: 1")];
  }
  const last = path[path.length - 1];
  if (last === "kind" || (issue.code === "invalid_union" && "note" in issue)) {
    const at = [...path.filter((p) => p !== "kind"), "kind"];
    const kind = String(getIn(data, at) ?? "");
    const hint = didYouMean(kind, [...KINDS]) ?? `one of ${KINDS.join(", ")}`;
    return [new PolicyProblem("policy.unknown-kind", { kind }, map.locate(at), hint)];
  }
  const value = getIn(data, path);
  if (issue.code === "invalid_union" && isRecord(value) && !Array.isArray(value)) {
    // A mapping that fits none of the forms: name its unknown keys, with the one probably meant.
    const known = knownKeys(path, data);
    const unknown = Object.keys(value).filter((k) => !known.includes(k));
    if (known.length > 0 && unknown.length > 0)
      return explain({ ...issue, code: "unrecognized_keys", keys: unknown, input: value }, path, data, map);
  }
  const missing = (issue.code === "invalid_type" || issue.code === "invalid_value") && value === undefined;
  const at = map.locate(path);
  if (missing) return [new PolicyProblem("policy.required", { where }, at)];
  return [new PolicyProblem("policy.invalid-value", { where, problem: issue.message }, at)];
}

/**
 * The policy's structure, part by part: each top-level section and each
 * scheme is validated on its own, so one malformed part never hides the
 * problems of another; malformed values are left out of the returned data
 * so the semantic checks still run on the rest.
 */
export function checkShape(map: SourceMap, data: Record<string, unknown>): ShapeCheck {
  const problems: PolicyProblem[] = [];
  const shape = policySchema.shape as Record<string, z.ZodType>;
  const mended: Record<string, unknown> = {};
  const unknown = Object.keys(data).filter((k) => !(k in shape));
  if (unknown.length > 0)
    problems.push(
      ...explain({ code: "unrecognized_keys", keys: unknown, path: [], message: "", input: data }, [], data, map),
    );
  const malformedMetrics = new Set<string>();
  for (const key of Object.keys(shape)) {
    if (key === "schemes") continue;
    const lost: string[] = [];
    const part = mend(shape[key] as z.ZodType, data[key], [key], data, map, problems, lost);
    if (part.ok && part.value !== undefined) mended[key] = part.value;
    if (key === "metrics") {
      const written = isRecord(data["metrics"]) ? Object.keys(data["metrics"]) : [];
      const kept = isRecord(mended["metrics"]) ? Object.keys(mended["metrics"]) : [];
      for (const name of written) if (!kept.includes(name)) malformedMetrics.add(name);
    }
  }
  const brokenSchemes = new Set<number>();
  const mendedBounds = new Set<number>();
  const schemes = data["schemes"];
  if (!Array.isArray(schemes) || schemes.length === 0) {
    mend(shape["schemes"] as z.ZodType, schemes, ["schemes"], data, map, problems);
    mended["schemes"] = [];
  } else {
    mended["schemes"] = schemes.map((s, i) => {
      const lost: string[] = [];
      const part = mend(schemeSchema, s, ["schemes", i], data, map, problems, lost);
      if (!part.ok) brokenSchemes.add(i);
      if (lost.some((k) => BOUND_KEYS.has(k))) mendedBounds.add(i);
      return part.value;
    });
  }
  mended["version"] = 1;
  return { problems, data: mended as unknown as PolicyFile, brokenSchemes, mendedBounds, malformedMetrics };
}
