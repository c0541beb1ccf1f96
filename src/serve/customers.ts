import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { TierwiseError } from "../errors/index.js";
import { explain } from "../insight/explain.js";
import { ExplanationCache } from "../insight/explain-cache.js";
import { normaliseId } from "../model/index.js";
import { findRun } from "../run/runs.js";
import { unknownEntity } from "../run/unknown-entity.js";
import { entityExistsSql } from "../sql/run/records.js";
import { customerPageSql, runSchemesSql } from "../sql/serve/customers.js";
import { ApiError } from "./api-error.js";
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

/** A cursor is opaque to callers: the last id of the page, base64url-encoded JSON. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId }), "utf8").toString("base64url");
}

function decodeCursor(cursor: string): string {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof value === "object" && value !== null && "after" in value && typeof value.after === "string")
      return value.after;
  } catch {
    // reported below
  }
  throw ApiError.invalid("cursor", "is not a cursor this server gave (pass next_cursor unchanged)");
}

/** `GET /customers` and `GET /customers/{id}`, from the latest run. */
export function customerRoutes(app: FastifyInstance, context: ServeContext): void {
  const { engine, queue } = context;
  const api = app.withTypeProvider<ZodTypeProvider>();
  // Explanations read what is kept per run and data (src/insight/explain-cache.ts): the same as `explain`.
  const explanations = new ExplanationCache(dataGeneration(app, context));

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
      const { q, scheme, tier, limit, cursor } = request.query;
      if (tier !== undefined && scheme === undefined) throw ApiError.invalid("tier", "needs scheme");
      const after = cursor === undefined ? null : decodeCursor(cursor);
      return queue.run(async () => {
        const run = await findRun(engine);
        if (scheme !== undefined) {
          const tiers = await engine.query(runSchemesSql(run.runId));
          if (!tiers.some((t) => t.scheme === scheme))
            throw new TierwiseError("UNKNOWN_SCHEME", { scheme, where: `run ${run.runId}` });
          if (tier !== undefined && !tiers.some((t) => t.scheme === scheme && t.tier === tier))
            throw new TierwiseError("UNKNOWN_TIER", { scheme, tier });
        }
        const rows = await engine.query(
          customerPageSql({
            runId: run.runId,
            after,
            q: q ?? null,
            scheme: scheme ?? null,
            tier: tier ?? null,
            limit,
          }),
        );
        const items: { id: string; name: string | null; tiers: { scheme: string; tier: string }[] }[] = [];
        for (const row of rows) {
          let item = items.at(-1);
          if (item?.id !== row.id) {
            item = { id: row.id, name: row.name, tiers: [] };
            items.push(item);
          }
          if (row.scheme !== null && row.tier !== null) item.tiers.push({ scheme: row.scheme, tier: row.tier });
        }
        const more = items.length > limit;
        const page = more ? items.slice(0, limit) : items;
        const last = page.at(-1);
        return {
          run: { id: run.runId, as_of: run.asOf },
          items: page,
          next_cursor: more && last ? encodeCursor(last.id) : null,
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
      return queue.run(async () => {
        // A lead's id is not a customer here (explain answers for both).
        if (((await engine.query(entityExistsSql("customers", id.id)))[0]?.n ?? 0) === 0)
          throw await unknownEntity(engine, ["customers"], id.id, "customer");
        return explain(engine, id.id, {}, explanations);
      });
    },
  );
}
