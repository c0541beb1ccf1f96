import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";
import { textCell } from "../spreadsheet-safe.js";
import { currentRepsSql } from "./reps.js";

/** The temporary table holding the playbook actions of the chosen tiers (a few rows per tier). */
export const ACTIONS_PLAN_TABLE = "tw_actions_plan";

/** One action of one tier's playbook; text fields as they go to the file (numbers as written, empty = null). */
export interface PlannedAction {
  readonly scheme: string;
  /** Position of the scheme in the run's policy (1-based): the file's order. */
  readonly schemeOrder: number;
  readonly tierRank: number;
  /** Position of the action within the tier's playbook: the file's order within a customer. */
  readonly seq: number;
  readonly service: string | null;
  readonly repLevel: string | null;
  readonly action: string;
  readonly detail: string | null;
  readonly percent: string | null;
  readonly cost: string | null;
  readonly campaigns: string | null;
}

const plan = ident(ACTIONS_PLAN_TABLE);

/** An empty plan table. */
export function createActionsPlanSql(): SqlFragment[] {
  return [
    sql`DROP TABLE IF EXISTS ${plan}`,
    sql`CREATE TEMP TABLE ${plan} (scheme VARCHAR NOT NULL, scheme_order INTEGER NOT NULL, tier_rank INTEGER NOT NULL,
  seq INTEGER NOT NULL, service VARCHAR, rep_level VARCHAR, action VARCHAR NOT NULL, detail VARCHAR, percent VARCHAR,
  cost VARCHAR, campaigns VARCHAR)`,
  ];
}

/** The playbook actions as one VALUES list: texts bound, orders and ranks (Tierwise's own) as literals. */
export function insertActionsPlanSql(rows: readonly PlannedAction[]): SqlFragment {
  const text = (v: string | null) => sql`CAST(${v} AS VARCHAR)`;
  const values = rows.map(
    (r) =>
      sql`(${join([
        text(r.scheme),
        integer(r.schemeOrder),
        integer(r.tierRank),
        integer(r.seq),
        text(r.service),
        text(r.repLevel),
        text(r.action),
        text(r.detail),
        text(r.percent),
        text(r.cost),
        text(r.campaigns),
      ])})`,
  );
  return sql`INSERT INTO ${plan} (scheme, scheme_order, tier_rank, seq, service, rep_level, action, detail, percent, cost, campaigns)
  VALUES ${join(values)}`;
}

/** The run's customers in the planned tiers, one row per customer and action. */
const actionRows = (runId: number) => sql`${ident("tw_assignments")} a
  JOIN ${plan} p ON p.scheme = a.scheme AND p.tier_rank = a.tier_rank
  WHERE a.run_id = ${integer(runId)}`;

/** How the action rows are written. */
export interface ActionsExport {
  /** Leave the contact data (email) out: the column is not written. */
  readonly redact: boolean;
  /** Guard every text cell against spreadsheet formulas (CSV files without --raw). */
  readonly spreadsheet: boolean;
}

/** The file's columns in order, each with its type in Parquet and JSON. */
export function actionColumns(redact: boolean): { name: string; type: "VARCHAR" | "DOUBLE" }[] {
  const text = (name: string) => ({ name, type: "VARCHAR" as const });
  return [
    text("customer_id"),
    text("name"),
    ...(redact ? [] : [text("email")]),
    text("scheme"),
    text("tier"),
    text("action"),
    text("detail"),
    { name: "percent", type: "DOUBLE" as const },
    { name: "cost", type: "DOUBLE" as const },
    text("campaigns"),
    text("service"),
    text("rep_level"),
    text("rep_id"),
    text("rep_name"),
  ];
}

/**
 * One row per customer and action of the run: the customer (id, name,
 * email unless redacted), scheme, tier, the action with its detail,
 * percent and cost, the tier's campaign tags, service and rep level, and
 * the customer's current rep (latest assignment, else
 * `customers.owner_rep_id`) with the rep's name. By scheme, tier, customer
 * and action. No bound parameters (the plan table holds the values):
 * engines stream it to a file with COPY.
 */
export function actionsExportSql(runId: number, how: ActionsExport): SqlFragment {
  const text = (column: string) => textCell(raw(column), how.spreadsheet);
  const email = how.redact ? raw("") : sql`${text("cu.email")} AS email, `;
  return sql`SELECT ${text("x.customer_id")} AS customer_id, ${text("cu.name")} AS name, ${email}${text("x.scheme")} AS scheme,
    ${text("x.tier")} AS tier, ${text("x.action")} AS action, ${text("x.detail")} AS detail, x.percent, x.cost,
    ${text("x.campaigns")} AS campaigns, ${text("x.service")} AS service, ${text("x.rep_level")} AS rep_level,
    ${text("cur.rep_id")} AS rep_id, ${text("r.name")} AS rep_name
  FROM (SELECT a.entity_id AS customer_id, a.scheme, a.tier, a.tier_rank, p.scheme_order, p.seq, p.service, p.rep_level,
      p.action, p.detail, p.percent, p.cost, p.campaigns FROM ${actionRows(runId)}) x
  LEFT JOIN ${ident("customers")} cu ON cu.customer_id = x.customer_id
  LEFT JOIN (${currentRepsSql()}) cur ON cur.customer_id = x.customer_id
  LEFT JOIN ${ident("reps")} r ON r.rep_id = cur.rep_id
  ORDER BY x.scheme_order, x.tier_rank, x.customer_id, x.seq`;
}

/** Customers per scheme, tier and action (what the file holds, counted). */
export function actionsCountSql(runId: number) {
  return select(
    { scheme: col.text, tier: col.text, action: col.text, detail: col.text, customers: col.integer },
    sql`SELECT p.scheme, p.scheme_order, a.tier_rank, a.tier, p.seq, p.action, p.detail, count(*) AS customers
  FROM ${actionRows(runId)}
  GROUP BY p.scheme, p.scheme_order, a.tier_rank, a.tier, p.seq, p.action, p.detail
  ORDER BY p.scheme_order, a.tier_rank, p.seq`,
  );
}

/** Convert an actions CSV (with or without the email column) to Parquet or a JSON array with typed columns (DuckDB). */
export function convertActionsSql(
  csvPath: string,
  outPath: string,
  format: "parquet" | "json",
  redact: boolean,
): SqlFragment {
  const options = format === "parquet" ? raw("FORMAT parquet") : raw("FORMAT json, ARRAY true");
  const columns = raw(
    `{${actionColumns(redact)
      .map((c) => `'${c.name}': '${c.type}'`)
      .join(", ")}}`,
  );
  return sql`COPY (SELECT * FROM read_csv(${csvPath}, header = true, auto_detect = false, columns = ${columns}))
    TO ${outPath} (${options})`;
}
