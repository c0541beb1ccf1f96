import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TierwiseError } from "../errors/index.js";
import {
  createBuyingSql,
  createCustomersSql,
  createOrdersSql,
  createProductsSql,
  createRepsSql,
  createShopInvoicesSql,
  createShopProductsSql,
  type GenParams,
  selectShopExportSql,
  selectShopProductsSql,
  shopInvoiceCountsSql,
} from "../sql/generate/index.js";
import { type BuildStep, copyToFileWhole, withBuiltBusiness } from "./build-business.js";
import { CATALOGUE, WORDS } from "./generate-dataset.js";
import type { GenerateOptions } from "./options.js";
import { planGeneration } from "./plan.js";
import { COUNTRIES, FIRST_NAMES, LAST_NAMES } from "./vocabulary.js";

/** The file `--style shop-export` writes. */
export const SHOP_EXPORT_FILE = "online_retail.csv";

/** The example mapping that reads the export, shipped with the package (examples/). */
export const SHOP_EXPORT_MAPPING = fileURLToPath(new URL("../../examples/shop-export.mapping.yaml", import.meta.url));

/** What a shop export wrote. */
export interface ShopExportSummary {
  readonly outDir: string;
  readonly seed: number;
  readonly asOf: string;
  /** Absolute path of `online_retail.csv`. */
  readonly file: string;
  /** Invoice lines written (rows of the file without its header). */
  readonly lines: number;
  /** Invoices, credit notes included. */
  readonly invoices: number;
  readonly creditNotes: number;
  readonly elapsedMs: number;
}

/** The statements that build the hidden tables the export is acted out from, in dependency order. */
function buildSteps(p: GenParams): readonly BuildStep[] {
  return [
    { label: "building reps", statements: [createRepsSql(p, FIRST_NAMES, LAST_NAMES)] },
    { label: "building products", statements: [createProductsSql(p, CATALOGUE)] },
    { label: "building customers", statements: [createCustomersSql(p, WORDS)] },
    ...(p.buying ? [{ label: "simulating purchases", statements: createBuyingSql(p) }] : []),
    { label: "building orders", statements: [createOrdersSql(p)] },
    {
      label: "building invoices",
      statements: [createShopProductsSql(p, CATALOGUE.adjectives), createShopInvoicesSql(p)],
    },
  ];
}

/**
 * Write a shop's raw line-item export, `online_retail.csv`, into `outDir`:
 * one row per invoice line (`InvoiceNo,StockCode,Description,Quantity,
 * InvoiceDate,UnitPrice,CustomerID,Country`), credit notes as invoices
 * numbered `C…` with negative quantities, about a quarter of the lines
 * without a customer, local times written `12/1/2010 8:26`. The same
 * customers and orders as `generateDataset` with the same options, acted out
 * as a shop's till would record them; deterministic for a seed and asOf.
 * Read it with `examples/shop-export.mapping.yaml`.
 *
 * @example
 * const summary = await generateShopExport({ outDir: "export", customers: 10_000, seed: 7, asOf: "2026-01-01" });
 * summary.lines; // about 300,000
 */
export async function generateShopExport(options: GenerateOptions): Promise<ShopExportSummary> {
  const started = performance.now();
  if (options.format !== undefined && options.format !== "csv") {
    throw TierwiseError.of("generate.shop-export-format", { format: String(options.format) });
  }
  const plan = planGeneration(options);
  const progress = options.onProgress ?? (() => undefined);
  return withBuiltBusiness(plan, buildSteps(plan.params), 1, progress, async (engine, done, total) => {
    const [counts] = await engine.query(shopInvoiceCountsSql());
    const file = join(plan.outDir, SHOP_EXPORT_FILE);
    progress(`writing ${SHOP_EXPORT_FILE}`, done, total);
    const catalogue = await engine.query(selectShopProductsSql());
    const select = selectShopExportSql(plan.params, COUNTRIES, {
      stockCodes: catalogue.map((r) => r.stock_code),
      descriptions: catalogue.map((r) => r.description),
      altDescriptions: catalogue.map((r) => r.alt_description),
      priceCents: catalogue.map((r) => r.price_cents),
    });
    const lines = await copyToFileWhole(engine, select, file, "csv");
    progress("done", total, total);
    return {
      outDir: plan.outDir,
      seed: plan.seed,
      asOf: plan.asOf,
      file,
      lines,
      invoices: counts?.invoices ?? 0,
      creditNotes: counts?.credit_notes ?? 0,
      elapsedMs: Math.round(performance.now() - started),
    };
  });
}
