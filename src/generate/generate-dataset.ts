import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { TableName } from "../model/index.js";
import {
  type Catalogue,
  type CustomerWords,
  createAvailabilitySql,
  createBuyingSql,
  createCustomersSql,
  createInteractionsSql,
  createInvoicesSql,
  createLeadsSql,
  createOrdersSql,
  createProductsSql,
  createRepsSql,
  type GenParams,
  generatedSizesSql,
  type OutputFormat,
  selectCustomersSql,
  selectInteractionsSql,
  selectInvoicesSql,
  selectLeadsSql,
  selectOrderLinesSql,
  selectOrdersSql,
  selectProductsSql,
  selectRepsSql,
} from "../sql/generate/index.js";
import type { SqlFragment } from "../sql/index.js";
import { type BuildStep, copyToFileWhole, withBuiltBusiness } from "./build-business.js";
import type { GenerateOptions, GenerateSummary } from "./options.js";
import { planGeneration, sizeIds } from "./plan.js";
import {
  B2C_SEGMENTS,
  CATEGORIES,
  COMPANY_SUFFIXES,
  FIRST_NAMES,
  LAST_NAMES,
  MAIL_DOMAINS,
  NEW_CATEGORY_COUNT,
  PRODUCT_ADJECTIVES,
  REGIONS,
} from "./vocabulary.js";

export const CATALOGUE: Catalogue = {
  categories: CATEGORIES.map((c) => c.name),
  nouns: CATEGORIES.map((c) => c.noun),
  newCategories: NEW_CATEGORY_COUNT,
  adjectives: PRODUCT_ADJECTIVES,
};

export const WORDS: CustomerWords = {
  firstNames: FIRST_NAMES,
  lastNames: LAST_NAMES,
  companySuffixes: COMPANY_SUFFIXES,
  mailDomains: MAIL_DOMAINS,
  regions: REGIONS,
  b2cSegments: B2C_SEGMENTS,
  establishedCategories: CATEGORIES.length - NEW_CATEGORY_COUNT,
};

/** The statements that build the hidden generator tables, in dependency order. */
function buildSteps(p: GenParams): readonly BuildStep[] {
  return [
    { label: "building reps", statements: [createRepsSql(p, FIRST_NAMES, LAST_NAMES)] },
    {
      label: "building products",
      statements: [createProductsSql(p, CATALOGUE), createAvailabilitySql(p, CATALOGUE.categories.length)],
    },
    { label: "building customers", statements: [createCustomersSql(p, WORDS)] },
    ...(p.buying ? [{ label: "simulating purchases", statements: createBuyingSql(p) }] : []),
    { label: "building orders", statements: [createOrdersSql(p)] },
    { label: "building invoices", statements: [createInvoicesSql(p)] },
    { label: "building interactions", statements: createInteractionsSql(p) },
    { label: "building leads", statements: [createLeadsSql(p)] },
  ];
}

/** The query that produces each file, in load order (referenced tables first). */
function writeSteps(
  p: GenParams,
  format: OutputFormat,
): readonly { readonly table: TableName; readonly select: SqlFragment }[] {
  return [
    { table: "reps", select: selectRepsSql(p) },
    { table: "products", select: selectProductsSql(p, format) },
    { table: "customers", select: selectCustomersSql(p, format) },
    { table: "orders", select: selectOrdersSql(p, format) },
    { table: "order_lines", select: selectOrderLinesSql(p, format, CATALOGUE.categories) },
    { table: "invoices", select: selectInvoicesSql(p, format) },
    { table: "interactions", select: selectInteractionsSql(p, format) },
    { table: "leads", select: selectLeadsSql(p, format) },
  ];
}

/**
 * Generate a realistic sample dataset for every table of the canonical model
 * and write one file per table (`<table>.csv` or `<table>.parquet`) into
 * `outDir`. Everything is generated inside DuckDB from hash-based random
 * draws, so the same seed and asOf give byte-identical files whatever the
 * thread count; 1M customers (about 10M orders) take well under a minute.
 *
 * @example
 * const summary = await generateDataset({ outDir: "sample", customers: 10_000, seed: 7, asOf: "2026-01-01" });
 * summary.rows.orders; // about 100,000
 */
/** Table-file extensions that ingest would also pick up, per generated format. */
const OTHER_EXTENSIONS: Record<"csv" | "parquet", readonly string[]> = {
  csv: ["parquet", "csv.gz", "tsv", "json", "ndjson", "jsonl"],
  parquet: ["csv", "csv.gz", "tsv", "json", "ndjson", "jsonl"],
};

export async function generateDataset(options: GenerateOptions): Promise<GenerateSummary> {
  const started = performance.now();
  const plan = planGeneration(options);
  const progress = options.onProgress ?? (() => undefined);
  return withBuiltBusiness(plan, buildSteps(plan.params), 8, progress, async (engine, built, total) => {
    let done = built;
    const [sizes] = await engine.query(generatedSizesSql());
    const params = sizeIds(plan.params, {
      orders: sizes?.orders ?? 0,
      invoices: sizes?.invoices ?? 0,
      interactions: sizes?.interactions ?? 0,
    });
    const rows: Partial<Record<TableName, number>> = {};
    const files: string[] = [];
    for (const { table, select } of writeSteps(params, plan.format)) {
      const file = join(plan.outDir, `${table}.${plan.format}`);
      progress(`writing ${table}.${plan.format}`, done, total);
      rows[table] = await copyToFileWhole(engine, select, file, plan.format);
      // A table file of another format from an earlier run would make the folder ambiguous to ingest.
      for (const other of OTHER_EXTENSIONS[plan.format])
        await rm(join(plan.outDir, `${table}.${other}`), { force: true });
      files.push(file);
      done += 1;
    }
    progress("done", total, total);
    return {
      outDir: plan.outDir,
      format: plan.format,
      seed: plan.seed,
      asOf: plan.asOf,
      rows: rows as Record<TableName, number>,
      files,
      elapsedMs: Math.round(performance.now() - started),
    };
  });
}
