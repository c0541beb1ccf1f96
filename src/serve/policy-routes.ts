import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { whatIf } from "../decisions/what-if.js";
import { checkPolicy } from "../policy/check-policy.js";
import { presetList } from "../policy/presets.js";
import { activatedVersions, activatePolicy, activePolicy, loadActivePolicy } from "../run/active-policy.js";
import { policyHistory } from "../run/policy-versions.js";
import { ApiError } from "./api-error.js";
import type { ServeContext } from "./context.js";
import { checked, givenPolicy, POLICY_TEXT_NAME, problemBody, refuseFuture, settingsOf } from "./policy-input.js";
import {
  ActivationResult,
  ActivePolicyBody,
  PolicyCheckRequest,
  PolicyCheckResult,
  PolicyChoiceRequest,
  PolicyDiffRequest,
  PolicyHistory,
  PresetList,
} from "./policy-schemas.js";
import { errorResponses, PolicyErrorBody } from "./run-schemas.js";
import { JobView, SECURED } from "./schemas.js";
import "./route-config.js";

const POLICY_ERRORS = { 422: PolicyErrorBody.describe("the policy does not check: every problem, with line:column") };

/**
 * `POST /policies/check`, `POST /policies/diff` (a background job),
 * `POST /policies` (activate), `GET /policies`, `GET /policies/active`,
 * `GET /presets`.
 */
export function policyRoutes(app: FastifyInstance, { engine, queue, jobs }: ServeContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    "/policies/check",
    {
      config: { access: "try policies" },
      schema: {
        summary: "Check a policy (as `tierwise policy check --json`): every problem with line:column, in one pass",
        tags: ["policies"],
        security: SECURED,
        body: PolicyCheckRequest,
        response: { 200: PolicyCheckResult, ...errorResponses(400, 401, 403, 500) },
      },
    },
    async (request) => {
      const { plan, problems } = checkPolicy(request.body.policy, POLICY_TEXT_NAME);
      return {
        ok: plan !== undefined,
        problems: problems.map(problemBody),
        schemes: (plan?.schemes ?? []).map((s) => ({ name: s.name, kind: s.kind, tiers: s.tiers.length })),
      };
    },
  );

  api.post(
    "/policies/diff",
    {
      config: { access: "try policies" },
      schema: {
        summary:
          "What-if (as `tierwise diff --json`): grade by the active and a proposed policy, compare; a background job",
        tags: ["policies"],
        security: SECURED,
        body: PolicyDiffRequest,
        response: { 202: JobView, ...POLICY_ERRORS, ...errorResponses(400, 401, 403, 404, 500) },
      },
    },
    async (request, reply) => {
      const { as_of: asOf, allow_future: allowFuture, pairs } = request.body;
      refuseFuture("as_of", asOf, allowFuture);
      const proposed = await givenPolicy(request.body);
      if (!proposed) throw ApiError.invalid("policy", "give the proposed policy as policy or presets");
      const { current, active } = await queue.run(async () => ({
        active: await activePolicy(engine),
        // --currency/--scale apply to both sides, as in `tierwise diff`
        current: await checked(() => loadActivePolicy(engine, settingsOf(request.body))),
      }));
      const job = jobs.start("diff", request.caller, async ({ engine: connection, progress }) => {
        progress("grading both policies", null);
        const w = await whatIf(connection, current, proposed, {
          ...(asOf !== undefined ? { asOf } : {}),
          ...(pairs ? { pairs } : {}),
        });
        progress("done", 1);
        return {
          current: { version: active.version, policy_hash: active.policyHash, source: active.source },
          ...w,
        };
      });
      return reply.code(202).send(job);
    },
  );

  api.post(
    "/policies",
    {
      config: { access: "activate policies" },
      schema: {
        summary: "Activate a policy: store it as the next version, authored by the key's name",
        tags: ["policies"],
        security: SECURED,
        body: PolicyChoiceRequest,
        response: { 201: ActivationResult, ...POLICY_ERRORS, ...errorResponses(400, 401, 403, 500) },
      },
    },
    async (request, reply) => {
      const policy = await givenPolicy(request.body);
      if (!policy) throw ApiError.invalid("policy", "give the policy to activate as policy or presets");
      const author = request.caller?.name ?? "(unknown)";
      const result = await queue.run(async () => {
        const before = (await activatedVersions(engine))[0]?.version ?? 0;
        const version = await activatePolicy(engine, policy, author);
        return { version, created: version.version > before };
      });
      return reply.code(201).send({
        version: result.version.version,
        policy_hash: result.version.policyHash,
        author: result.version.author,
        activated_at: result.version.activatedAt,
        created: result.created,
        warnings: policy.warnings.map(problemBody),
      });
    },
  );

  api.get(
    "/policies",
    {
      config: { access: "read runs" },
      schema: {
        summary: "Policy versions: the activated ones with their runs, and every policy the runs recorded",
        tags: ["policies"],
        security: SECURED,
        response: { 200: PolicyHistory, ...errorResponses(401, 403, 500) },
      },
    },
    async () =>
      queue.run(async () => {
        const recorded = await policyHistory(engine);
        const runsOf = new Map(recorded.map((v) => [v.policyHash, v.runs]));
        const versions = (await activatedVersions(engine)).map((v) => ({
          version: v.version,
          policy_hash: v.policyHash,
          author: v.author,
          activated_at: v.activatedAt,
          runs: (runsOf.get(v.policyHash) ?? []).map((r) => ({ run_id: r.runId, as_of: r.asOf })),
        }));
        return { versions, recorded };
      }),
  );

  api.get(
    "/policies/active",
    {
      config: { access: "read runs" },
      schema: {
        summary: "The active policy: the latest activated version, or the latest run's policy before any activation",
        tags: ["policies"],
        security: SECURED,
        response: { 200: ActivePolicyBody, ...errorResponses(401, 403, 404, 500) },
      },
    },
    async () => {
      const a = await queue.run(() => activePolicy(engine));
      return {
        source: a.source,
        version: a.version,
        policy_hash: a.policyHash,
        author: a.author,
        since: a.since,
        policy: a.text,
      };
    },
  );

  api.get(
    "/presets",
    {
      config: { access: "read runs" },
      schema: {
        summary: "The shipped presets with their descriptions (as `tierwise policy presets`)",
        tags: ["policies"],
        security: SECURED,
        response: { 200: PresetList, ...errorResponses(401, 403, 500) },
      },
    },
    async () => ({ items: presetList() }),
  );
}
