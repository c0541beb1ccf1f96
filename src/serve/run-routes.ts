import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { z } from "zod";
import type { Engine } from "../engine/engine.js";
import { TierwiseError, UsageError } from "../errors/index.js";
import { buildReport, type ReportOptions } from "../insight/report.js";
import { catchUpLiveGrades } from "../realtime/catch-up.js";
import { reportHtml } from "../report/html.js";
import { backfill, backfillDates } from "../run/backfill.js";
import { run } from "../run/run.js";
import { listRuns, type RunListing } from "../run/run-list.js";
import { findRun } from "../run/runs.js";
import { requireCustomers } from "../store/require-customers.js";
import { ApiError } from "./api-error.js";
import type { ServeContext } from "./context.js";
import { chosenPolicy, refuseFuture } from "./policy-input.js";
import {
  BackfillRequest,
  errorResponses,
  HTML_RESPONSE,
  NO_CUSTOMERS_RESPONSE,
  PolicyErrorBody,
  ReportBody,
  ReportQuery,
  RunListing as RunListingBody,
  RunPage,
  RunParams,
  RunQuery,
  RunRequest,
} from "./run-schemas.js";
import { JobView, SECURED } from "./schemas.js";
import "./route-config.js";

/** What a run or backfill job leaves in its `result`: each snapshot written with its counts. */
function snapshot(r: {
  runId: number;
  asOf: string;
  policyHash: string;
  schemes: readonly { scheme: string; graded: number; tiers: readonly { tier: string; entities: number }[] }[];
}) {
  return {
    run_id: r.runId,
    as_of: r.asOf,
    policy_hash: r.policyHash,
    schemes: r.schemes.map((s) => ({
      scheme: s.scheme,
      graded: s.graded,
      tiers: s.tiers.map((t) => ({ tier: t.tier, entities: t.entities })),
    })),
  };
}

/** The runs list's cursor: the last run id of the page, base64url JSON, opaque to callers. */
function encodeCursor(lastRunId: number): string {
  return Buffer.from(JSON.stringify({ run: lastRunId }), "utf8").toString("base64url");
}

function decodeCursor(cursor: string): number {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof value === "object" && value !== null && "run" in value && Number.isSafeInteger(value.run))
      return value.run as number;
  } catch {
    // reported below
  }
  throw ApiError.invalid("cursor", "is not a cursor this server gave (pass next_cursor unchanged)");
}

/** The page of `runs` (latest first) after the run `after`. */
function page(runs: readonly RunListing[], after: number | null, limit: number) {
  const start = after === null ? 0 : runs.findIndex((r) => r.runId === after) + 1;
  // A run deleted since the previous page: its place is unknown, start again is wrong; say so.
  if (after !== null && start === 0)
    throw ApiError.invalid("cursor", "names a run that is no longer in the store: start again without cursor");
  const items = runs.slice(start, start + limit);
  const last = items.at(-1);
  return { items, next_cursor: start + limit < runs.length && last ? encodeCursor(last.runId) : null };
}

const POLICY_ERRORS = { 422: PolicyErrorBody.describe("the policy does not check: every problem, with line:column") };

/**
 * `POST /runs`, `POST /backfills` (background jobs), `GET /runs`,
 * `GET /runs/{id}`, `GET /runs/{id}/report` and `/report.html`.
 */
export function runRoutes(app: FastifyInstance, { engine, queue, jobs, now }: ServeContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const clock = now ?? (() => new Date());
  /**
   * Write snapshots on the job's connection, then grade again (on the writing
   * connection, in turn with events) the customers events re-graded while
   * they were written: the new latest run may not have seen those events.
   */
  const withCatchUp = async <T>(connection: Engine, write: () => Promise<T>): Promise<T> => {
    const previous = await findRun(connection).catch(() => undefined);
    const startedAt = clock();
    const result = await write();
    // On DuckDB jobs write in turn with events (jobs.ts), so the run saw every event before it.
    if (previous && !engine.dialect.oneWriterProcess)
      await queue.run(() => catchUpLiveGrades(engine, previous.runId, startedAt, clock()));
    return result;
  };

  api.post(
    "/runs",
    {
      config: { access: "start runs" },
      schema: {
        summary: "Start a run (as `tierwise run`): a background job; GET /jobs/{id} shows its progress and result",
        tags: ["runs"],
        security: SECURED,
        body: RunRequest,
        response: {
          202: JobView,
          ...POLICY_ERRORS,
          ...NO_CUSTOMERS_RESPONSE,
          ...errorResponses(400, 401, 403, 404, 500),
        },
      },
    },
    async (request, reply) => {
      const { as_of: asOf, allow_future: allowFuture } = request.body;
      refuseFuture("as_of", asOf, allowFuture);
      const policy = await queue.run(async () => {
        await requireCustomers(engine, "being served");
        return chosenPolicy(engine, request.body);
      });
      const job = jobs.start("run", request.caller, async ({ engine: connection, progress }) => {
        const result = await withCatchUp(connection, () =>
          run(connection, policy, {
            ...(asOf !== undefined ? { asOf } : {}),
            onStep: (step, done, total) => progress(step, total > 0 ? done / total : null),
          }),
        );
        progress("done", 1);
        return { runs: [snapshot(result)], duration_ms: result.durationMs };
      });
      return reply.code(202).send(job);
    },
  );

  api.post(
    "/backfills",
    {
      config: { access: "start runs" },
      schema: {
        summary: "Start a backfill (as `tierwise backfill`): one snapshot per date, a background job",
        tags: ["runs"],
        security: SECURED,
        body: BackfillRequest,
        response: {
          202: JobView,
          ...POLICY_ERRORS,
          ...NO_CUSTOMERS_RESPONSE,
          ...errorResponses(400, 401, 403, 404, 500),
        },
      },
    },
    async (request, reply) => {
      const { from, to, every, allow_future: allowFuture } = request.body;
      try {
        backfillDates(from, to, every);
      } catch (error) {
        if (error instanceof UsageError) throw ApiError.invalid("to", error.message);
        throw error;
      }
      refuseFuture("to", to, allowFuture);
      const policy = await queue.run(async () => {
        await requireCustomers(engine, "being served");
        return chosenPolicy(engine, request.body);
      });
      const job = jobs.start("backfill", request.caller, async ({ engine: connection, progress }) => {
        const result = await withCatchUp(connection, () =>
          backfill(connection, policy, {
            from,
            to,
            every,
            onProgress: (p) =>
              progress(
                // "2025-07-31: grading abc"; the facts shared by all dates come first, before any date
                p.index === 0 && p.steps === 0 && p.step !== "rolling facts" ? p.step : `${p.asOf}: ${p.step}`,
                (p.index + (p.steps > 0 ? (p.stepNo - 1) / p.steps : 0)) / p.total,
              ),
          }),
        );
        progress("done", 1);
        return { runs: result.runs.map(snapshot), duration_ms: result.durationMs };
      });
      return reply.code(202).send(job);
    },
  );

  api.get(
    "/runs",
    {
      config: { access: "read runs" },
      schema: {
        summary: "The stored runs, latest first (as `tierwise runs --json`)",
        tags: ["runs"],
        security: SECURED,
        querystring: RunQuery,
        response: { 200: RunPage, ...errorResponses(400, 401, 403, 500) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = cursor === undefined ? null : decodeCursor(cursor);
      return page(await queue.run(() => listRuns(engine)), after, limit);
    },
  );

  api.get(
    "/runs/:id",
    {
      config: { access: "read runs" },
      schema: {
        summary: "One run, as `tierwise runs --json` lists it",
        tags: ["runs"],
        security: SECURED,
        params: RunParams,
        response: { 200: RunListingBody, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const { id } = request.params;
      return queue.run(async () => {
        const found = (await listRuns(engine)).find((r) => r.runId === id);
        if (!found) throw new TierwiseError("RUN_NOT_FOUND", { run: id });
        return found;
      });
    },
  );

  const reportOptions = (id: number, query: { scheme?: string | undefined; crosstab?: string | undefined }) => {
    const pair = query.crosstab?.split(" x ").map((s) => s.trim());
    if (pair !== undefined && (pair.length !== 2 || pair.some((s) => s === "")))
      throw ApiError.invalid("crosstab", 'must be two scheme names as "A x B"');
    const options: ReportOptions = {
      run: id,
      ...(pair ? { crosstab: [pair[0] ?? "", pair[1] ?? ""] as const } : {}),
      ...(query.scheme !== undefined ? { historyScheme: query.scheme } : {}),
    };
    return options;
  };

  api.get(
    "/runs/:id/report",
    {
      config: { access: "read runs" },
      schema: {
        summary: "The report of a run as JSON (as `tierwise report --format json`)",
        tags: ["runs"],
        security: SECURED,
        params: RunParams,
        querystring: ReportQuery,
        response: { 200: ReportBody, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request) => {
      const options = reportOptions(request.params.id, request.query);
      // The Report interface has no index signature; the schema checks its leading fields and passes the rest.
      return (await queue.run(() => buildReport(engine, options))) as unknown as z.output<typeof ReportBody>;
    },
  );

  api.get(
    "/runs/:id/report.html",
    {
      config: { access: "read runs" },
      schema: {
        summary: "The report of a run as the HTML file `tierwise report --format html` writes (works offline)",
        tags: ["runs"],
        security: SECURED,
        params: RunParams,
        querystring: ReportQuery,
        response: { 200: HTML_RESPONSE, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request, reply) => {
      const options = reportOptions(request.params.id, request.query);
      const report = await queue.run(() => buildReport(engine, options));
      return reply.type("text/html; charset=utf-8").send(reportHtml(report));
    },
  );
}
