import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { DataFingerprint } from "../insight/data-fingerprint.js";
import { explain } from "../insight/explain.js";
import { ExplanationCache } from "../insight/explain-cache.js";
import { normaliseId } from "../model/index.js";
import { findRun } from "../run/runs.js";
import { type CustomerSort, customerPageSql, type PageEnd, runSchemesSql } from "../sql/serve/customers.js";
import { ApiError } from "./api-error.js";
import { AtRiskTable } from "./at-risk.js";
import type { ServeContext } from "./context.js";
import { dataGeneration } from "./data-generation.js";
import {
  CustomerExplanation,
  CustomerPage,
  CustomerParams,
  CustomerQuery,
  ERROR_RESPONSES,
  SECURED,
} from "./schemas.js";
import "./route-config.js";

/**
 * A cursor is opaque to callers: base64url-encoded JSON of where the page
 * ended, `{"after": id}` in id order, `{"after": id, "sort": …, "key": value}`
 * in another (the sort is kept so a cursor is not used with another one).
 */
export function encodeCursor(lastId: string, sort: CustomerSort = "id", key: string | null = null): string {
  const value = sort === "id" ? { after: lastId } : { after: lastId, sort, key };
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/** What a cursor's sort value may be, per sort (as the engine writes the value as text): bound, then cast. */
const DECIMAL = /^-?\d{1,30}(\.\d{1,4})?$/;
const DOUBLE = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const KEY_TEXT: Readonly<Record<CustomerSort, (key: string) => boolean>> = {
  id: () => false,
  "-id": () => false,
  name: (key) => key.length <= 10_000,
  "-name": (key) => key.length <= 10_000,
  revenue: (key) => DECIMAL.test(key),
  "-revenue": (key) => DECIMAL.test(key),
  score: (key) => DOUBLE.test(key) && Number.isFinite(Number(key)),
  "-score": (key) => DOUBLE.test(key) && Number.isFinite(Number(key)),
};

function decodeCursor(cursor: string, sort: CustomerSort): PageEnd {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    // reported below
  }
  if (typeof value === "object" && value !== null && "after" in value && typeof value.after === "string") {
    const given = "sort" in value ? value.sort : "id";
    if (given !== sort)
      throw ApiError.invalid("cursor", "was given for another sort (pass next_cursor with the same parameters)");
    if (sort === "id" || sort === "-id") return { id: value.after };
    if ("key" in value && (value.key === null || (typeof value.key === "string" && KEY_TEXT[sort](value.key))))
      return { id: value.after, key: value.key };
  }
  throw ApiError.invalid("cursor", "is not a cursor this server gave (pass next_cursor unchanged)");
}

/** `GET /customers` and `GET /customers/{id}`, from the latest run. */
export function customerRoutes(app: FastifyInstance, context: ServeContext): void {
  const { queue } = context;
  const api = app.withTypeProvider<ZodTypeProvider>();
  // Explanations read what is kept per run and data (src/insight/explain-cache.ts): the same as `explain`.
  const data = new DataFingerprint(dataGeneration(app, context));
  // What is kept lives in temporary tables of a connection: one set per read connection.
  const kept = new WeakMap<Engine, { explanations: ExplanationCache; atRisk: AtRiskTable }>();
  const keptOn = (engine: Engine) => {
    let k = kept.get(engine);
    if (!k) {
      k = { explanations: new ExplanationCache(data), atRisk: new AtRiskTable(data) };
      kept.set(engine, k);
    }
    return k;
  };

  api.get(
    "/customers",
    {
      config: { access: "read customers" },
      schema: {
        summary: "Search customers, with their tiers in the latest run",
        tags: ["customers"],
        security: SECURED,
        querystring: CustomerQuery,
        response: { 200: CustomerPage, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { q, scheme, tier, limit, cursor, sort } = request.query;
      if (tier !== undefined && scheme === undefined) throw ApiError.invalid("tier", "needs scheme");
      if ((sort === "score" || sort === "-score") && scheme === undefined)
        throw ApiError.invalid("sort", "score needs scheme (whose score to sort by)");
      const after = cursor === undefined ? null : decodeCursor(cursor, sort);
      return queue.read(async (engine) => {
        const atRiskTable = keptOn(engine).atRisk;
        const run = await findRun(engine);
        if (scheme !== undefined) {
          const tiers = await engine.query(runSchemesSql(run.runId));
          if (!tiers.some((t) => t.scheme === scheme))
            throw new TierwiseError("UNKNOWN_SCHEME", { scheme, where: `run ${run.runId}` });
          if (tier !== undefined && !tiers.some((t) => t.scheme === scheme && t.tier === tier))
            throw new TierwiseError("UNKNOWN_TIER", { scheme, tier });
        }
        const atRisk =
          request.query.at_risk === undefined
            ? null
            : { table: await atRiskTable.of(engine, run), value: request.query.at_risk === "true" };
        const rows = await engine.query(
          customerPageSql({
            dialect: engine.dialect,
            runId: run.runId,
            after,
            sort,
            atRisk,
            q: q ?? null,
            scheme: scheme ?? null,
            tier: tier ?? null,
            limit,
          }),
        );
        const items: { id: string; name: string | null; tiers: { scheme: string; tier: string }[] }[] = [];
        const keys: (string | null)[] = [];
        for (const row of rows) {
          let item = items.at(-1);
          if (item?.id !== row.id) {
            item = { id: row.id, name: row.name, tiers: [] };
            items.push(item);
            keys.push(row.sort_value);
          }
          if (row.scheme !== null && row.tier !== null) item.tiers.push({ scheme: row.scheme, tier: row.tier });
        }
        const more = items.length > limit;
        const page = more ? items.slice(0, limit) : items;
        const last = page.at(-1);
        return {
          run: { id: run.runId, as_of: run.asOf },
          items: page,
          next_cursor: more && last ? encodeCursor(last.id, sort, keys[limit - 1] ?? null) : null,
        };
      });
    },
  );

  api.get(
    "/customers/:id",
    {
      config: { access: "read customers" },
      schema: {
        summary: "One customer: every grade of the latest run with its explanation (as `tierwise explain ID --json`)",
        tags: ["customers"],
        security: SECURED,
        params: CustomerParams,
        response: { 200: CustomerExplanation, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const id = normaliseId(request.params.id);
      if (!id.ok) throw ApiError.invalid("id", `is not an id (${id.problem})`);
      return queue.read(async (engine) => {
        // A lead's id is not a customer here (explain answers for both).
        return explain(engine, id.id, { customersOnly: true }, keptOn(engine).explanations);
      });
    },
  );
}
