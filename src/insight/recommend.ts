import { rm } from "node:fs/promises";
import { extname, join } from "node:path";
import type { Engine } from "../engine/engine.js";
import { placeStagedCsv } from "../engine/staged-output.js";
import { didYouMean, TierwiseError } from "../errors/index.js";
import { stagingFolder } from "../files/output-file.js";
import { planFromText, schemeRun } from "../run/runs.js";
import type { SqlFragment } from "../sql/fragment.js";
import {
  convertRecommendationsSql,
  REC_TABLES,
  type RecommendBounds,
  type RecommendLevel,
  type RecommendSqlOptions,
  recBasketSql,
  recCountsSql,
  recCustomerTierSql,
  recDictSql,
  recItemsSql,
  recOfCustomerSql,
  recOutputSql,
  recOutSql,
  recPeopleSql,
  recRulesSql,
  recTierRowsSql,
  recTiersSql,
  recTopRulesSql,
} from "../sql/insight/recommend.js";
import { dropTempSql } from "../sql/run/snapshot.js";
import { defaultChurnScheme } from "./churn.js";

export type { RecommendLevel } from "../sql/insight/recommend.js";

/** Which grades and which items (shared by `recommend` and `associationRules`). */
export interface CrossSellSource {
  /** The scheme whose tiers group the peers (default: the first customer scheme of the latest run). */
  readonly scheme?: string;
  /** Only this tier (default: every tier). */
  readonly tier?: string;
  /** The run whose grades and as-of are used (default: the scheme's latest run). */
  readonly run?: number;
  /** Items are products (default) or categories (the line's, else the product's). */
  readonly level?: RecommendLevel;
  /** Candidate items per tier: the tier's most bought (default 50). */
  readonly candidates?: number;
  /** Least customers of the tier who bought both items of a rule (default 3). */
  readonly minCustomers?: number;
  /** Rules reported per tier (default 10). */
  readonly rulesPerTier?: number;
}

export interface RecommendOptions extends CrossSellSource {
  /** `.csv`, `.parquet` or `.json`. */
  readonly out: string;
  /** Write text cells as they are: no `'` before a cell starting with =, +, -, @, tab or CR (CSV files; docs/exports.md). */
  readonly raw?: boolean;
  /** Items per customer (default 5). */
  readonly top?: number;
  /** A customer's antecedents: their items with the most order lines (default 5). */
  readonly antecedents?: number;
  readonly onStep?: (step: string) => void;
}

/** A rule A → B among the customers of one tier. */
export interface AssociationRule {
  readonly antecedent: string;
  readonly consequent: string;
  /** The products' names (`products.name`); null when a product has none, and for categories (their own names). */
  readonly antecedentName: string | null;
  readonly consequentName: string | null;
  /** Customers of the tier who bought both. */
  readonly customers: number;
  /** Share of the tier's buyers who bought both. */
  readonly support: number;
  /** Share of the buyers of A who bought B. */
  readonly confidence: number;
  /** confidence / (share of the tier's buyers who bought B); above 1 for every rule reported. */
  readonly lift: number;
}

/** One tier's peers and its strongest rules. */
export interface TierAssociationRules {
  readonly tier: string;
  readonly tierRank: number;
  /** Customers the run graded in the tier. */
  readonly customers: number;
  /** Those with at least one item before as-of: the denominator of support. */
  readonly buyers: number;
  /** By lift, then customers who bought both, antecedent, consequent. */
  readonly rules: readonly AssociationRule[];
}

export interface AssociationRulesReport {
  readonly scheme: string;
  readonly runId: number;
  readonly asOf: string;
  readonly level: RecommendLevel;
  readonly tiers: readonly TierAssociationRules[];
}

export interface Recommendations extends AssociationRulesReport {
  readonly path: string;
  /** Rows written: one per customer and rank. */
  readonly rows: number;
  /** Customers with at least one recommendation. */
  readonly customers: number;
  readonly top: number;
  /** The run's policy locale and currency: the text rendering formats every number in them. */
  readonly locale: string;
  readonly currency: string;
}

interface Resolved {
  readonly locale: string;
  readonly currency: string;
  readonly scheme: string;
  readonly runId: number;
  readonly asOf: string;
  readonly level: RecommendLevel;
  readonly sql: RecommendSqlOptions;
}

function wholeNumber(name: string, value: number | undefined, fallback: number, max: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1 || v > max)
    throw TierwiseError.of("option.whole-number", { option: name, max, value: v });
  return v;
}

/** The scheme's run (latest, or the one asked for), the tier's rank and the level. */
async function resolveSource(engine: Engine, o: CrossSellSource): Promise<Resolved> {
  const level = o.level ?? "product";
  if (level !== "product" && level !== "category") throw TierwiseError.of("option.level", { value: String(level) });
  const { scheme, run } = await schemeRun(engine, o.scheme, o.run, defaultChurnScheme);
  const policy = planFromText(run.policyText);
  const plan = policy.schemes.find((s) => s.name === scheme);
  if (plan?.entity !== "customers") throw TierwiseError.of("option.leads-cross-sell", { scheme });
  let tierRank: number | undefined;
  if (o.tier !== undefined) {
    tierRank = plan.tiers.indexOf(o.tier) + 1;
    if (tierRank === 0)
      throw new TierwiseError(
        "UNKNOWN_TIER",
        { scheme, tier: o.tier },
        undefined,
        didYouMean(o.tier, plan.tiers) ?? `tiers: ${plan.tiers.join(", ")}`,
      );
  }
  return {
    locale: policy.locale,
    currency: policy.currency,
    scheme,
    runId: run.runId,
    asOf: run.asOf,
    level,
    sql: {
      dialect: engine.dialect,
      asOf: run.asOf,
      run: { runId: run.runId, schemeNo: run.schemeNo },
      level,
      ...(tierRank === undefined ? {} : { tierRank }),
    },
  };
}

const ALL_TABLES = Object.values(REC_TABLES);

async function dropTables(engine: Engine): Promise<void> {
  for (const name of ALL_TABLES) await engine.exec(dropTempSql(name));
}

/** Build the people, basket, tier, item and rule tables of the session. */
async function buildRules(
  engine: Engine,
  r: Resolved,
  bounds: RecommendBounds,
  step: (name: string) => void,
): Promise<void> {
  const create = (name: keyof typeof REC_TABLES, definition: SqlFragment) =>
    engine.exec(engine.dialect.createTempTable(REC_TABLES[name], definition));
  step("customers and their items");
  await create("people", recPeopleSql(r.sql));
  await create("dict", recDictSql(r.sql));
  await create("basket", recBasketSql(r.sql));
  step("item popularity per tier");
  await create("tiers", recTiersSql(r.sql));
  await create("items", recItemsSql());
  step("association rules per tier");
  await create("rules", recRulesSql(r.sql.dialect, bounds));
}

async function readTiers(engine: Engine, rulesPerTier: number): Promise<TierAssociationRules[]> {
  const tiers = await engine.query(recTierRowsSql());
  const rules = await engine.query(recTopRulesSql(rulesPerTier));
  return tiers.map((t) => {
    const rank = t.tier_rank;
    return {
      tier: t.tier,
      tierRank: rank,
      customers: t.customers,
      buyers: t.buyers,
      rules: rules
        .filter((x) => x.tier_rank === rank)
        .map((x) => {
          const both = x.both_n;
          const a = x.antecedent_n;
          const b = x.consequent_n;
          const n = x.tier_n;
          const named = (item: string, name: string | null) => (name === null || name === item ? null : name);
          return {
            antecedent: x.antecedent,
            consequent: x.consequent,
            antecedentName: named(x.antecedent, x.antecedent_name),
            consequentName: named(x.consequent, x.consequent_name),
            customers: both,
            support: both / n,
            confidence: both / a,
            lift: (both * n) / (a * b),
          };
        }),
    };
  });
}

function boundsOf(o: RecommendOptions | CrossSellSource): RecommendBounds {
  const r = o as RecommendOptions;
  return {
    top: wholeNumber("--top", r.top, 5, 1000),
    candidates: wholeNumber("--candidates", o.candidates, 50, 10_000),
    antecedents: wholeNumber("antecedents", r.antecedents, 5, 1000),
    minCustomers: wholeNumber("minCustomers", o.minCustomers, 3, 1_000_000_000),
  };
}

/**
 * Tier-level association rules (docs/schemes.md §11): for each tier of a run's
 * scheme, the strongest rules A → B among its customers (B among the
 * tier's most bought items, lift above 1, at least `minCustomers` customers
 * who bought both), with support, confidence and lift. The definitions are
 * in docs/recommend.md.
 *
 * @example
 * const report = await associationRules(store, { scheme: "value-grades", level: "category" });
 * for (const t of report.tiers) console.log(t.tier, t.rules[0]);
 */
export async function associationRules(engine: Engine, options: CrossSellSource = {}): Promise<AssociationRulesReport> {
  const bounds = boundsOf(options);
  const rulesPerTier = wholeNumber("rulesPerTier", options.rulesPerTier, 10, 100_000);
  const r = await resolveSource(engine, options);
  try {
    await buildRules(engine, r, bounds, () => undefined);
    return {
      scheme: r.scheme,
      runId: r.runId,
      asOf: r.asOf,
      level: r.level,
      tiers: await readTiers(engine, rulesPerTier),
    };
  } finally {
    await dropTables(engine);
  }
}

/**
 * For each customer a run graded in a scheme (one tier or all), the `top`
 * items that peers of the same tier buy and the customer has not bought
 * (docs/schemes.md §11): scored by the strongest rule from the customer's own
 * items (lift, then confidence), then by the item's popularity in the
 * tier; written set-based by the engine to `out` (.csv, .parquet or .json)
 * as customer_id, tier, rank, item, name (the product's name, else its id),
 * support, confidence, lift. Returns the
 * tiers' association rules as `associationRules` does.
 *
 * @example
 * const r = await recommend(store, { out: "cross-sell.csv", scheme: "value-grades", top: 5 });
 * console.log(r.rows, r.tiers[0]?.rules[0]);
 */
export async function recommend(engine: Engine, options: RecommendOptions): Promise<Recommendations> {
  const step = options.onStep ?? (() => undefined);
  const format = extname(options.out).toLowerCase();
  if (![".csv", ".json", ".parquet"].includes(format)) throw new TierwiseError("EXPORT_FORMAT", { path: options.out });
  const bounds = boundsOf(options);
  const rulesPerTier = wholeNumber("rulesPerTier", options.rulesPerTier, 10, 100_000);
  const r = await resolveSource(engine, options);
  const dir = await stagingFolder(options.out, ".tierwise-recommend-");
  try {
    await buildRules(engine, r, bounds, step);
    step("recommendations per customer");
    await engine.exec(engine.dialect.createTempTable(REC_TABLES.out, recOutSql(bounds)));
    const [counts] = await engine.query(recCountsSql());
    step("writing recommendations");
    const staging = join(dir, "out.csv");
    await engine.exportCsv(recOutputSql(r.sql.dialect, format === ".csv" && options.raw !== true), staging);
    await placeStagedCsv(staging, options.out, dir, convertRecommendationsSql);
    return {
      scheme: r.scheme,
      runId: r.runId,
      asOf: r.asOf,
      level: r.level,
      tiers: await readTiers(engine, rulesPerTier),
      path: options.out,
      rows: counts?.rows ?? 0,
      customers: counts?.customers ?? 0,
      top: bounds.top,
      locale: r.locale,
      currency: r.currency,
    };
  } finally {
    await dropTables(engine);
    await rm(dir, { recursive: true, force: true });
  }
}

/** One customer's cross-selling recommendations (what `recommend` writes for them). */
export interface CustomerRecommendations {
  readonly customerId: string;
  readonly scheme: string;
  readonly runId: number;
  readonly asOf: string;
  readonly level: RecommendLevel;
  /** The customer's tier in the scheme's run; null when it did not grade them (then no items). */
  readonly tier: string | null;
  readonly items: readonly {
    readonly rank: number;
    readonly item: string;
    /** The product's name, else its id (a category is its own name). */
    readonly name: string | null;
    readonly support: number;
    readonly confidence: number | null;
    readonly lift: number | null;
  }[];
}

/**
 * The rows `recommend` writes for one customer, computed for their tier
 * alone (rules are per tier, so the tier's rules and the customer's items
 * are the same as in the whole run's): the top items peers of the tier buy
 * and the customer has not, with support, confidence and lift.
 *
 * @example
 * const r = await recommendFor(store, "C0000042", { scheme: "value-grades", top: 5 });
 */
export async function recommendFor(
  engine: Engine,
  customerId: string,
  options: CrossSellSource & { readonly top?: number; readonly antecedents?: number } = {},
): Promise<CustomerRecommendations> {
  const bounds = boundsOf(options);
  const { tier: _tier, ...source } = options;
  const r = await resolveSource(engine, source);
  const head = { customerId, scheme: r.scheme, runId: r.runId, asOf: r.asOf, level: r.level };
  const rank = (await engine.query(recCustomerTierSql(r.sql.run, customerId)))[0]?.tier_rank;
  if (rank === undefined) return { ...head, tier: null, items: [] };
  const one = { ...r, sql: { ...r.sql, tierRank: rank } };
  try {
    await buildRules(engine, one, bounds, () => undefined);
    await engine.exec(engine.dialect.createTempTable(REC_TABLES.out, recOutSql(bounds)));
    const tier = (await engine.query(recTierRowsSql()))[0]?.tier ?? null;
    const items = await engine.query(recOfCustomerSql(engine.dialect, customerId));
    return { ...head, tier, items };
  } finally {
    await dropTables(engine);
  }
}
