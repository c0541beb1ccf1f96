import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { PolicyErrors, type PolicyProblem } from "../policy/codes.js";
import { type LoadedPolicy, loadPolicy, loadPolicyText } from "../policy/load-policy.js";
import type { PolicySettings } from "../policy/policy-settings.js";
import { loadActivePolicy, withRecordedSettings } from "../run/active-policy.js";
import { loadRecordedPolicy } from "../run/policy-versions.js";
import { ApiError, type ErrorReply } from "./api-error.js";

/** The name a policy sent as text has in its problems' locations (`policy:3:5`). */
export const POLICY_TEXT_NAME = "policy";

/**
 * A request's choice of policy: its YAML text, presets, a recorded version,
 * or none of them (the active policy); `currency` and `scale` replace the
 * policy's own, as the CLI's `--currency` and `--scale`.
 */
export interface PolicyChoice {
  readonly policy?: string | undefined;
  readonly presets?: readonly string[] | undefined;
  readonly policy_version?: string | undefined;
  readonly currency?: string | undefined;
  readonly scale?: number | undefined;
}

/** The currency and scale a request gives. */
export function settingsOf(choice: PolicyChoice): PolicySettings {
  return {
    ...(choice.currency !== undefined ? { currency: choice.currency } : {}),
    ...(choice.scale !== undefined ? { scale: choice.scale } : {}),
  };
}

/**
 * The 422 of a policy that does not check: the first problem's code and its
 * `file:line:column CODE message` line, and every problem in `details` (as
 * `tierwise policy check --json` lists them).
 */
export function policyProblems(error: PolicyErrors): ApiError {
  const errors = error.problems.filter((p) => p.severity === "error");
  const [first] = errors;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more: see details)` : "";
  const body: ErrorReply & { details: unknown[] } = {
    code: first?.code ?? "API_INVALID_REQUEST",
    message: first ? `${first.oneLine()}${more}` : error.message,
    details: error.problems.map(problemBody),
  };
  return new ApiError(422, body);
}

/** Run `load`, answering a policy's problems as a 422. */
export async function checked<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof PolicyErrors) throw policyProblems(error);
    throw error;
  }
}

/**
 * The policy given as text or presets, checked (422 with every problem when
 * it does not check), or undefined when the request gives neither.
 */
export async function givenPolicy(choice: PolicyChoice): Promise<LoadedPolicy | undefined> {
  if (choice.policy !== undefined && choice.presets !== undefined)
    throw ApiError.invalid("presets", "give policy or presets, not both");
  const { policy, presets } = choice;
  const settings = settingsOf(choice);
  if (policy !== undefined) return checked(async () => loadPolicyText(policy, POLICY_TEXT_NAME, settings));
  if (presets !== undefined) return checked(() => loadPolicy({ presets }, settings));
  return undefined;
}

/**
 * The given policy, else the recorded version named by `policy_version`,
 * else the store's active one (GET /policies/active); run inside the store queue.
 */
export async function chosenPolicy(engine: Engine, choice: PolicyChoice): Promise<LoadedPolicy> {
  const version = choice.policy_version;
  if (version !== undefined && (choice.policy !== undefined || choice.presets !== undefined))
    throw ApiError.invalid("policy_version", "give policy_version or policy/presets, not both");
  const given = await givenPolicy(choice);
  if (given) return given;
  if (version === undefined) return checked(() => loadActivePolicy(engine, settingsOf(choice)));
  try {
    return withRecordedSettings(await loadRecordedPolicy(engine, version), settingsOf(choice));
  } catch (error) {
    if (error instanceof TierwiseError && error.code === "POLICY_VERSION_AMBIGUOUS")
      throw ApiError.invalid("policy_version", error.reason);
    if (error instanceof PolicyErrors) throw policyProblems(error);
    throw error;
  }
}

/** Refuse a date after today unless allowed (as the CLI's `--allow-future`): almost always a typo. */
export function refuseFuture(field: string, date: string | undefined, allowFuture: boolean): void {
  if (date === undefined || allowFuture) return;
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  const local = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const utc = now.toISOString().slice(0, 10);
  if (date > utc && date > local)
    throw ApiError.invalid(field, `${date} is after today (${utc}); send allow_future: true to grade a future date`);
}

/** One problem as the API shows it (PolicyProblemBody): what `tierwise policy check --json` prints. */
export function problemBody(p: PolicyProblem) {
  return {
    code: p.code,
    severity: p.severity,
    message: p.message,
    ...(p.location.file !== undefined ? { file: p.location.file } : {}),
    ...(p.location.line !== undefined ? { line: p.location.line } : {}),
    ...(p.location.column !== undefined ? { column: p.location.column } : {}),
    ...(p.hint ? { hint: p.hint } : {}),
  };
}
