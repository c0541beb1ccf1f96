import { resolve } from "node:path";
import { TierwiseError } from "../errors/index.js";
import { DAY, type GenParams, type SimulatedBuying, type SimulatedSpend } from "../sql/generate/index.js";
import type { GenerateOptions } from "./options.js";

/** Years of history before asOf. */
export const HISTORY_DAYS = 1826;
/** Catalogue size. */
export const PRODUCT_COUNT = 2000;
/** The largest customer count accepted (ids and memory stay sane). */
export const MAX_CUSTOMERS = 100_000_000;

/** Options after defaults and checks. */
export interface GeneratePlan {
  readonly outDir: string;
  readonly format: "csv" | "parquet";
  readonly seed: number;
  readonly asOf: string;
  readonly threads: number | undefined;
  readonly params: GenParams;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function digits(n: number): number {
  return String(Math.max(0, Math.floor(n))).length;
}

/** Unix seconds of midnight UTC of a YYYY-MM-DD date, or a coded error. */
function parseAsOf(asOf: string): number {
  const m = DATE.exec(asOf);
  if (!m) throw TierwiseError.of("generate.as-of-format", { value: JSON.stringify(asOf) });
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw TierwiseError.of("generate.as-of-not-real", { asOf });
  }
  // History starts 5 years (products 8 years) before asOf and planned dates run
  // up to 18 months after it; all must stay within the 1900–2199 the ingest accepts.
  if (y < 1910 || y > 2197) throw TierwiseError.of("generate.as-of-range", { asOf });
  return ms / 1000;
}

/**
 * Check the options, apply the defaults and size everything: about one rep
 * per 2,000 customers (at least 6), 4 leads per 100 customers (at least one
 * per lead situation), zero-padded ids wide enough for the counts.
 * @example planGeneration({ outDir: "data", customers: 1000 }).params.reps // 6
 */
export function planGeneration(options: GenerateOptions): GeneratePlan {
  const { customers } = options;
  if (!Number.isSafeInteger(customers) || customers < 1 || customers > MAX_CUSTOMERS) {
    throw TierwiseError.of("generate.customers", { max: MAX_CUSTOMERS, value: customers });
  }
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0) throw TierwiseError.of("generate.seed", { value: seed });
  const format = options.format ?? "csv";
  if (format !== "csv" && format !== "parquet") throw TierwiseError.of("generate.format", { value: String(format) });
  const threads = options.threads;
  if (threads !== undefined && (!Number.isSafeInteger(threads) || threads < 1)) {
    throw TierwiseError.of("generate.threads", { value: threads });
  }
  if (options.outDir.length === 0) throw TierwiseError.of("generate.out-dir-empty", {});
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const asOfSec = parseAsOf(asOf);
  const reps = Math.max(6, Math.round(customers / 2000));
  const leads = Math.max(54, Math.round(customers * 0.04));
  const buying = options.buying === undefined ? undefined : checkBuying(options.buying);
  const spend = options.spend === undefined ? undefined : checkSpend(options.spend);
  if (spend && !buying) throw TierwiseError.of("generate.spend-needs-buying", {});
  const params: GenParams = {
    ...(buying ? { buying } : {}),
    ...(spend ? { spend } : {}),
    seed,
    asOfSec,
    startSec: asOfSec - HISTORY_DAYS * DAY,
    customers,
    reps,
    products: PRODUCT_COUNT,
    leads,
    widths: {
      customer: Math.max(7, digits(customers)),
      rep: Math.max(3, digits(reps)),
      product: Math.max(5, digits(PRODUCT_COUNT)),
      order: 9,
      invoice: 7,
      interaction: 8,
      lead: Math.max(6, digits(leads)),
    },
  };
  return { outDir: resolve(options.outDir), format, seed, asOf, threads, params };
}

/** Widen the ids of generated entities to their actual counts. */
export function sizeIds(
  params: GenParams,
  sizes: { orders: number; invoices: number; interactions: number },
): GenParams {
  return {
    ...params,
    widths: {
      ...params.widths,
      order: Math.max(9, digits(sizes.orders)),
      invoice: Math.max(7, digits(sizes.invoices)),
      interaction: Math.max(8, digits(sizes.interactions)),
    },
  };
}

function positiveParameters(what: string, values: Readonly<Record<string, number>>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!(typeof value === "number" && Number.isFinite(value) && value > 0 && value <= 1e6)) {
      throw TierwiseError.of("generate.model-parameter", { model: what, name, value: String(value) });
    }
  }
}

function checkBuying(b: SimulatedBuying): SimulatedBuying {
  if (b.model !== "bgnbd") throw TierwiseError.of("generate.buying-model", { value: String(b.model) });
  if (b.unit !== "day" && b.unit !== "week") throw TierwiseError.of("generate.buying-unit", { value: String(b.unit) });
  positiveParameters("buying", { r: b.r, alpha: b.alpha, a: b.a, b: b.b });
  return { model: "bgnbd", r: b.r, alpha: b.alpha, a: b.a, b: b.b, unit: b.unit };
}

function checkSpend(s: SimulatedSpend): SimulatedSpend {
  if (s.model !== "gamma-gamma") throw TierwiseError.of("generate.spend-model", { value: String(s.model) });
  positiveParameters("spend", { p: s.p, q: s.q, v: s.v });
  return { model: "gamma-gamma", p: s.p, q: s.q, v: s.v };
}

/**
 * Read `bgnbd:r=0.25,alpha=4,a=0.8,b=2.5[,unit=week]` (the `--buying` flag).
 * @example parseBuying("bgnbd:r=0.25,alpha=4,a=0.8,b=2.5").alpha // 4
 */
export function parseBuying(text: string): SimulatedBuying {
  const { model, values } = parseModelSpec(text, ["r", "alpha", "a", "b"], ["unit"]);
  const unit = values.unit ?? "week";
  return checkBuying({
    model: model as "bgnbd",
    r: Number(values.r),
    alpha: Number(values.alpha),
    a: Number(values.a),
    b: Number(values.b),
    unit: unit as "day" | "week",
  });
}

/**
 * Read `gamma-gamma:p=6,q=4,v=15` (the `--spend` flag).
 * @example parseSpend("gamma-gamma:p=6,q=4,v=15").q // 4
 */
export function parseSpend(text: string): SimulatedSpend {
  const { model, values } = parseModelSpec(text, ["p", "q", "v"], []);
  return checkSpend({ model: model as "gamma-gamma", p: Number(values.p), q: Number(values.q), v: Number(values.v) });
}

function parseModelSpec<R extends string, O extends string>(
  text: string,
  required: readonly R[],
  optional: readonly O[],
): { model: string; values: Readonly<Record<R, string>> & Readonly<Partial<Record<O, string>>> } {
  const [model = "", rest = ""] = text.split(":", 2);
  const known: readonly string[] = [...required, ...optional];
  const values: Record<string, string> = {};
  for (const part of rest.split(",").filter((p) => p.length > 0)) {
    const [name = "", value] = part.split("=", 2).map((t) => t.trim());
    if (!known.includes(name)) {
      throw TierwiseError.of("generate.unknown-parameter", { spec: text, name, expected: known.join(", ") });
    }
    if (value === undefined || value.length === 0)
      throw TierwiseError.of("generate.parameter-no-value", { spec: text, name });
    values[name] = value;
  }
  const missing = required.filter((n) => values[n] === undefined);
  if (missing.length > 0)
    throw TierwiseError.of("generate.missing-parameters", { spec: text, names: missing.join(", ") });
  // Every required name has a value (checked just above) and every name is known.
  return { model: model.trim(), values: values as Record<R, string> & Partial<Record<O, string>> };
}
