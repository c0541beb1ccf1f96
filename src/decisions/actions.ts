import { rm } from "node:fs/promises";
import { dirname, extname, join, resolve } from "node:path";
import type { Engine } from "../engine/engine.js";
import { placeStagedCsv } from "../engine/staged-output.js";
import { didYouMean, TierwiseError } from "../errors/index.js";
import { makeFolder } from "../files/make-folder.js";
import { stagingFolder } from "../files/output-file.js";
import type { PlaybookPlan } from "../plan/playbook.js";
import type { SchemePlan } from "../plan/policy.js";
import { findRun, planFromText } from "../run/runs.js";
import {
  ACTIONS_PLAN_TABLE,
  actionColumns,
  actionsCountSql,
  actionsExportSql,
  convertActionsSql,
  createActionsPlanSql,
  insertActionsPlanSql,
  type PlannedAction,
} from "../sql/decisions/actions.js";
import { dropTempSql } from "../sql/run/snapshot.js";

export interface ActionsOptions {
  /** `FILE.csv`, `FILE.parquet` or `FILE.json` (an array). */
  readonly out: string;
  /** The run (default: the latest). */
  readonly runId?: number;
  /** Only this scheme (default: every customer scheme of the run with playbooks). */
  readonly scheme?: string;
  /** Only this tier (of the scheme, or of every chosen scheme that has it). */
  readonly tier?: string;
  /**
   * Leave the customers' contact data out: no `email` column (the data
   * model's only contact field). Name, customer id and rep stay, so the list
   * is still actionable.
   */
  readonly redact?: boolean;
  /** Write text cells as they are: no `'` before a cell starting with =, +, -, @, tab or CR (CSV files; docs/exports.md). */
  readonly raw?: boolean;
}

/**
 * What a playbook asks to do for each of a tier's customers:
 * - `call`: proactive or premium service (docs/schemes.md §7), detail "premium service";
 * - `discount`, `fixed`, `gift`: one per benefit, detail = the benefit's name,
 *   with its percent (discount) or yearly cost per customer (fixed, gift);
 * - `campaign`: one per campaign tag, detail = the tag.
 */
export type ActionKind = "call" | "discount" | "fixed" | "gift" | "campaign";

/** How many customers one action of one tier reaches. */
export interface ActionCount {
  readonly scheme: string;
  readonly tier: string;
  readonly action: ActionKind;
  readonly detail: string;
  readonly customers: number;
}

export interface ActionsResult {
  readonly path: string;
  readonly runId: number;
  readonly asOf: string;
  readonly schemes: readonly string[];
  /** The file's columns, in order. */
  readonly columns: readonly string[];
  /** Rows written (customers × actions). */
  readonly rows: number;
  /** Per scheme, tier and action, in file order; tiers without customers are absent. */
  readonly counts: readonly ActionCount[];
  /** The policy's locale and currency: the text rendering formats every number in them. */
  readonly locale: string;
  readonly currency: string;
}

/** The file's columns, in order (`email` is left out with `redact`). */
export const ACTION_COLUMNS = [
  "customer_id",
  "name",
  "email",
  "scheme",
  "tier",
  "action",
  "detail",
  "percent",
  "cost",
  "campaigns",
  "service",
  "rep_level",
  "rep_id",
  "rep_name",
] as const;

/** The actions of one tier's playbook, in file order. */
export function playbookActions(
  p: PlaybookPlan,
): { action: ActionKind; detail: string; percent: number | null; cost: number | null }[] {
  const out: { action: ActionKind; detail: string; percent: number | null; cost: number | null }[] = [];
  if (p.service === "premium" || p.service === "proactive")
    out.push({ action: "call", detail: `${p.service} service`, percent: null, cost: null });
  for (const b of p.benefits)
    out.push(
      b.kind === "discount"
        ? { action: "discount", detail: b.name, percent: b.percent, cost: null }
        : { action: b.kind, detail: b.name, percent: null, cost: b.perCustomer },
    );
  for (const c of p.campaigns) out.push({ action: "campaign", detail: c, percent: null, cost: null });
  return out;
}

/** The plan rows of the chosen schemes and tiers. */
function plannedActions(
  schemes: readonly { scheme: SchemePlan; order: number }[],
  tier: string | undefined,
): PlannedAction[] {
  return schemes.flatMap(({ scheme, order }) =>
    (scheme.playbooks ?? [])
      .filter((p) => tier === undefined || p.tier === tier)
      .flatMap((p) => {
        const rank = scheme.tiers.indexOf(p.tier) + 1;
        const campaigns = p.campaigns.length > 0 ? p.campaigns.join(";") : null;
        return playbookActions(p).map(
          (a, i): PlannedAction => ({
            scheme: scheme.name,
            schemeOrder: order,
            tierRank: rank,
            seq: i + 1,
            service: p.service ?? null,
            repLevel: p.repLevel ?? null,
            action: a.action,
            detail: a.detail,
            percent: a.percent === null ? null : String(a.percent),
            cost: a.cost === null ? null : String(a.cost),
            campaigns,
          }),
        );
      }),
  );
}

/** Pick the schemes (and check the tier) the options name; coded errors for unknown names and missing playbooks. */
function chooseSchemes(
  all: readonly SchemePlan[],
  runId: number,
  options: ActionsOptions,
): { scheme: SchemePlan; order: number }[] {
  const numbered = all.map((scheme, i) => ({ scheme, order: i + 1 }));
  const hasPlaybooks = (s: SchemePlan) => (s.playbooks ?? []).length > 0;
  let chosen: { scheme: SchemePlan; order: number }[];
  if (options.scheme !== undefined) {
    const name = options.scheme;
    const found = numbered.find((s) => s.scheme.name === name);
    if (!found)
      throw new TierwiseError(
        "UNKNOWN_SCHEME",
        { scheme: name, where: `run ${runId}` },
        undefined,
        didYouMean(
          name,
          all.map((s) => s.name),
        ) ?? `schemes: ${all.map((s) => s.name).join(", ")}`,
      );
    if (found.scheme.entity !== "customers") throw TierwiseError.of("option.leads-actions", { scheme: name });
    if (!hasPlaybooks(found.scheme)) throw new TierwiseError("NO_PLAYBOOKS", { schemes: `scheme ${name}`, run: runId });
    chosen = [found];
  } else {
    chosen = numbered.filter((s) => s.scheme.entity === "customers" && hasPlaybooks(s.scheme));
    if (chosen.length === 0) {
      const names = all.filter((s) => s.entity === "customers").map((s) => s.name);
      throw new TierwiseError("NO_PLAYBOOKS", {
        schemes: names.length === 1 ? `scheme ${names[0]}` : `the customer schemes (${names.join(", ") || "none"})`,
        run: runId,
      });
    }
  }
  const tier = options.tier;
  if (tier !== undefined) {
    const withTier = chosen.filter((s) => s.scheme.tiers.includes(tier));
    if (withTier.length === 0)
      throw new TierwiseError(
        "UNKNOWN_TIER",
        { scheme: chosen.map((s) => s.scheme.name).join(" or "), tier },
        undefined,
        didYouMean(
          tier,
          chosen.flatMap((s) => s.scheme.tiers),
        ) ?? `tiers: ${[...new Set(chosen.flatMap((s) => s.scheme.tiers))].join(", ")}`,
      );
    chosen = withTier;
  }
  return chosen;
}

/**
 * Write the action lists of a run (default: the latest) from its recorded
 * policy's playbooks: one row per customer and action — who gets the call
 * (proactive or premium service), each benefit (discount with its percent,
 * fixed benefit or gift with its yearly cost per customer) and each
 * campaign tag — with the columns of ACTION_COLUMNS: the customer (id,
 * name, email unless `redact`), what to do, and the customer's current rep
 * (latest rep assignment, else `customers.owner_rep_id`) with the rep's
 * name. Tiers whose playbook asks nothing (basic service, no benefits, no
 * campaigns) and tiers without a playbook have no rows. In a CSV file a
 * text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
 * gets a leading apostrophe, so a spreadsheet does not run it as a formula
 * (unless `raw`); Parquet and JSON keep the values as stored.
 *
 * Set-based: the playbook actions go into a small temporary table (bound
 * values), joined to `tw_assignments` and streamed to the file by the
 * engine (COPY), never held in memory; Parquet and JSON are converted from
 * that CSV by DuckDB. The file appears only when complete.
 *
 * @example
 * const r = await writeActions(store, { scheme: "value-grades", tier: "VIP", out: "vip-actions.csv" });
 * console.log(r.rows, r.counts.filter((c) => c.action === "call"));
 */
export async function writeActions(engine: Engine, options: ActionsOptions): Promise<ActionsResult> {
  const format = extname(options.out).toLowerCase();
  if (![".csv", ".json", ".parquet"].includes(format)) throw new TierwiseError("EXPORT_FORMAT", { path: options.out });
  const run = await findRun(engine, options.runId);
  const plan = planFromText(run.policyText);
  const chosen = chooseSchemes(plan.schemes, run.runId, options);
  const rows = plannedActions(chosen, options.tier);
  const target = resolve(options.out);
  await makeFolder(dirname(target));
  const dir = await stagingFolder(target, ".tierwise-actions-");
  let counts: ActionCount[] = [];
  try {
    for (const statement of createActionsPlanSql()) await engine.exec(statement);
    if (rows.length > 0) await engine.exec(insertActionsPlanSql(rows));
    const staging = join(dir, "actions.csv");
    const redact = options.redact === true;
    await engine.exportCsv(
      actionsExportSql(run.runId, { redact, spreadsheet: format === ".csv" && options.raw !== true }),
      staging,
    );
    counts = (await engine.query(actionsCountSql(run.runId))).map((r) => ({
      scheme: r.scheme,
      tier: r.tier,
      action: r.action as ActionKind,
      detail: r.detail,
      customers: r.customers,
    }));
    await placeStagedCsv(staging, target, dir, (from, to, f) => convertActionsSql(from, to, f, redact));
  } finally {
    await engine.exec(dropTempSql(ACTIONS_PLAN_TABLE)).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
  return {
    locale: plan.locale,
    currency: plan.currency,
    path: options.out,
    runId: run.runId,
    asOf: run.asOf,
    schemes: chosen.map((s) => s.scheme.name),
    columns: actionColumns(options.redact === true).map((c) => c.name),
    rows: counts.reduce((n, c) => n + c.customers, 0),
    counts,
  };
}
