import type { CheckerMessageId, MessageTextParams } from "../errors/index.js";
import { supported } from "../format/formats.js";
import type { ValueType } from "../plan/expression.js";
import { type CustomMetricPlan, DEFAULT_CLV, type PolicyPlan, type SchemePlan } from "../plan/policy.js";
import { checkAlerts } from "./check-alerts.js";
import { CheckContext } from "./check-context.js";
import { checkShape } from "./check-shape.js";
import { PolicyProblem } from "./codes.js";
import { currencyHint, knownCurrency } from "./currency.js";
import { parseAndCheck } from "./expression/check.js";
import { parseExpression } from "./expression/parser.js";
import { printExpression } from "./expression/print.js";
import type { CommonPlan } from "./kinds/kind.js";
import { checkPareto } from "./kinds/pareto.js";
import { checkQuantiles } from "./kinds/quantiles.js";
import { checkRfm } from "./kinds/rfm.js";
import { checkRules } from "./kinds/rules.js";
import { checkScorecard } from "./kinds/scorecard.js";
import { checkThresholds } from "./kinds/thresholds.js";
import { lifecyclePlan } from "./lifecycle.js";
import { isMoney, scaleMoneyLiterals } from "./money.js";
import { noticesPlan } from "./notices.js";
import { checkPlaybooks } from "./playbooks.js";
import type { SchemeFile } from "./schema.js";
import { entityScope, reservedNames } from "./scope.js";
import { SourceMap, type YamlPath } from "./source-map.js";

export interface PolicyCheck {
  /** The checked plan, when there are no errors. */
  readonly plan?: PolicyPlan;
  /** Every problem found, errors and warnings, in file order. */
  readonly problems: readonly PolicyProblem[];
}

/** Problems that follow from tier bounds and weights; unreliable once a malformed bound was left out. */
const CONSEQUENCES: ReadonlySet<string> = new Set([
  "POLICY_UNREACHABLE_TIER",
  "POLICY_BOUNDS",
  "POLICY_RFM_MAP",
  "POLICY_WEIGHTS",
]);

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function byPosition(a: PolicyProblem, b: PolicyProblem): number {
  return (a.location.line ?? 0) - (b.location.line ?? 0) || (a.location.column ?? 0) - (b.location.column ?? 0);
}

/** Report a problem at a path of the file (on its key when `onKey`). */
type Report = <M extends CheckerMessageId>(
  id: M,
  params: MessageTextParams<M>,
  path: YamlPath,
  hint?: string,
  onKey?: boolean,
) => void;

/** Custom metrics in dependency order, typed; cycles and bad names reported. */
function customMetrics(
  raw: Readonly<Record<string, string>>,
  map: SourceMap,
  report: Report,
  problems: PolicyProblem[],
  scale: number,
): { types: Map<string, ValueType>; plans: CustomMetricPlan[]; money: Set<string> } {
  const types = new Map<string, ValueType>();
  const plans: CustomMetricPlan[] = [];
  const money = new Set<string>();
  const reserved = reservedNames();
  const names = Object.keys(raw);
  const deps = new Map<string, string[]>();
  for (const name of names) {
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) {
      report("policy.metric-name-chars", { name: JSON.stringify(name) }, ["metrics", name], undefined, true);
      continue;
    }
    if (reserved.has(name)) {
      report("policy.metric-name-built-in", { name }, ["metrics", name], "choose another name", true);
      continue;
    }
    try {
      const text = printExpression(parseExpression(raw[name] as string));
      deps.set(
        name,
        names.filter((other) => new RegExp(`\\b${other}\\b`).test(text)),
      );
    } catch {
      deps.set(name, []);
    }
  }
  const done = new Set<string>();
  const visiting = new Set<string>();
  // Metrics in a cycle, or built on one that failed, are not checked: the cause is reported once.
  const broken = new Set<string>();
  const visit = (name: string, chain: string[]): void => {
    if (done.has(name) || !deps.has(name)) return;
    if (visiting.has(name)) {
      const cycle = [...chain.slice(chain.indexOf(name)), name];
      for (const m of cycle) broken.add(m);
      report("policy.metric-cycle", { cycle: cycle.join(" → ") }, ["metrics", name], undefined, true);
      return;
    }
    visiting.add(name);
    for (const d of deps.get(name) ?? []) visit(d, [...chain, name]);
    visiting.delete(name);
    done.add(name);
    if (broken.has(name) || (deps.get(name) ?? []).some((d) => deps.has(d) && !types.has(d))) return;
    const result = parseAndCheck(raw[name] as string, entityScope("customers", types));
    if (!result.ok) {
      for (const e of result.errors)
        problems.push(
          new PolicyProblem(
            e.messageId,
            e.messageParams,
            map.locateInScalar(["metrics", name], e.line, e.column),
            e.hint,
          ),
        );
      return;
    }
    types.set(name, result.expression.type);
    if (isMoney(result.expression, money)) money.add(name);
    // Like scheme conditions: number literals compared with money follow the policy's scale.
    const expression = scaleMoneyLiterals(result.expression, scale, money, (literal, value) => {
      const at = map.locateInScalar(["metrics", name], literal.span.line, literal.span.column);
      problems.push(new PolicyProblem("expr.scaled-too-large", { value: literal.value, scale, result: value }, at));
    });
    plans.push({ name, expression, text: printExpression(result.expression) });
  };
  for (const name of names) visit(name, []);
  return { types, plans, money };
}

function checkScheme(raw: SchemeFile, ctx: CheckContext, path: YamlPath): SchemePlan | undefined {
  const entity = raw.entity ?? "customers";
  const tierNames = raw.tiers.map((t) => t.name);
  tierNames.forEach((n, i) => {
    if (tierNames.indexOf(n) !== i)
      ctx.report("policy.tier-twice", { tier: n, scheme: raw.name }, [...path, "tiers", i, "name"]);
  });
  const population =
    raw.population === undefined
      ? undefined
      : ctx.expression(raw.population, [...path, "population"], entity, "boolean");
  const retention = raw.kind === "thresholds" && raw.tiers.some((t) => t.keep !== undefined);
  const lifecycle = lifecyclePlan(raw.lifecycle, retention);
  const playbooks = checkPlaybooks(raw, ctx, path);
  const notices = noticesPlan(raw, lifecycle !== undefined, ctx, path);
  const common: CommonPlan = {
    ...(notices ? { notices } : {}),
    ...(lifecycle ? { lifecycle } : {}),
    ...(playbooks.length > 0 ? { playbooks } : {}),
    name: raw.name,
    entity,
    visibility: raw.visibility ?? "internal",
    tiers: tierNames,
    ...(raw.description ? { description: raw.description } : {}),
    ...(population ? { population } : {}),
  };
  if (entity === "leads" && raw.kind !== "rules" && raw.kind !== "thresholds") {
    ctx.report("policy.kind-customers-only", { kind: raw.kind }, [...path, "entity"], "use entity: customers");
    return undefined;
  }
  let plan: SchemePlan | undefined;
  switch (raw.kind) {
    case "thresholds":
      plan = checkThresholds(raw, ctx, path, common);
      break;
    case "rules":
      plan = checkRules(raw, ctx, path, common);
      break;
    case "scorecard":
      plan = checkScorecard(raw, ctx, path, common);
      break;
    case "pareto":
      plan = checkPareto(raw, ctx, path, common);
      break;
    case "quantiles":
      plan = checkQuantiles(raw, ctx, path, common);
      break;
    case "rfm":
      plan = checkRfm(raw, ctx, path, common);
      break;
  }
  return raw.population !== undefined && !population ? undefined : plan;
}

/** The first line of a YAML error, in words for the person fixing the file (a parser's stack overflow is nesting). */
function yamlMessage(error: unknown): string {
  const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
  if (error instanceof RangeError || /call stack/i.test(message)) return "the YAML nests too deeply to read";
  return message || "invalid YAML";
}

/**
 * Check a policy file's text: YAML, shape, every expression, and the rules
 * of each scheme kind. Returns every problem found in one pass, located in
 * the file; the plan only when nothing is wrong.
 * @example
 * const { plan, problems } = checkPolicy(await readFile("policy.yaml", "utf8"), "policy.yaml");
 */
export function checkPolicy(text: string, file = "policy.yaml"): PolicyCheck {
  const map = new SourceMap(file, text);
  if (map.doc.errors.length > 0) {
    const problems = map.doc.errors.map(
      (e) => new PolicyProblem("policy.yaml", { reason: yamlMessage(e) }, map.at(e.pos[0])),
    );
    return { problems };
  }
  let data: unknown;
  try {
    data = map.doc.toJS() as unknown;
  } catch (error) {
    // e.g. aliases that expand without bound ("billion laughs")
    return { problems: [new PolicyProblem("policy.yaml", { reason: yamlMessage(error) }, map.at(0))] };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return {
      problems: [new PolicyProblem("policy.not-a-mapping", {}, map.at(0), "see tierwise policy schema")],
    };
  }
  // Structural problems are reported part by part; everything well formed is still checked in full.
  const shape = checkShape(map, data as Record<string, unknown>);
  const raw = shape.data;
  const problems: PolicyProblem[] = [...shape.problems];
  const report: Report = (id, params, path, hint, onKey = false) => {
    problems.push(new PolicyProblem(id, params, map.locate(path, onKey), hint));
  };
  const timeZone = raw.time_zone ?? "UTC";
  if (!validTimeZone(timeZone))
    report("policy.unknown-time-zone", { zone: timeZone }, ["time_zone"], "an IANA name such as Europe/Budapest");
  if (raw.locale !== undefined && !supported(raw.locale))
    report(
      "policy.unknown-locale",
      { locale: raw.locale },
      ["locale"],
      supported(raw.locale.replace(/_/g, "-"))
        ? `did you mean ${raw.locale.replace(/_/g, "-")}?`
        : "a BCP 47 tag such as de-DE or en-US",
    );
  if (raw.currency !== undefined && !knownCurrency(raw.currency))
    report("policy.unknown-currency", { currency: raw.currency }, ["currency"], currencyHint(raw.currency));
  const scale = raw.scale ?? 1;
  const custom = customMetrics(raw.metrics ?? {}, map, report, problems, scale);
  const ctx = new CheckContext(
    map,
    { customers: entityScope("customers", custom.types), leads: entityScope("leads", new Map()) },
    scale,
    custom.money,
  );
  const schemes: SchemePlan[] = [];
  const seen = new Map<string, number>();
  raw.schemes.forEach((s, i) => {
    if (shape.brokenSchemes.has(i)) return;
    const first = seen.get(s.name);
    if (first !== undefined)
      ctx.report("policy.scheme-twice", { scheme: s.name, first: first + 1 }, ["schemes", i, "name"]);
    seen.set(s.name, i);
    const before = ctx.problems.length;
    const plan = checkScheme(s, ctx, ["schemes", i]);
    if (plan) schemes.push(plan);
    // A bound or weight left out as malformed would make tiers look unreachable or weights short: not reported.
    if (shape.mendedBounds.has(i)) {
      const own = ctx.problems.splice(before).filter((p) => !CONSEQUENCES.has(p.code));
      ctx.problems.push(...own);
    }
  });
  const alerts = checkAlerts(raw, ctx, shape.brokenSchemes);
  // A custom metric left out as malformed is reported where it is written, not again where it is used.
  const usesMalformed = (p: PolicyProblem) =>
    p.messageId === "expr.unknown-name" &&
    "name" in p.messageParams &&
    shape.malformedMetrics.has(String(p.messageParams.name));
  problems.push(...ctx.problems.filter((p) => !usesMalformed(p)));
  problems.sort(byPosition);
  if (problems.some((p) => p.severity === "error")) return { problems };
  const months = raw.revenue_window ? Number.parseInt(raw.revenue_window, 10) : 12;
  const plan: PolicyPlan = {
    version: 1,
    currency: raw.currency ?? "EUR",
    scale,
    timeZone,
    locale: raw.locale ?? "en-US",
    revenueMonths: months,
    ...(raw.mapping ? { mapping: raw.mapping } : {}),
    metrics: custom.plans,
    schemes,
    ...(raw.webhooks ? { webhooks: raw.webhooks.map((w) => ({ url: w.url, secretEnv: w.secret_env })) } : {}),
    churn: {
      days: raw.churn?.days ?? 180,
      k: raw.churn?.k ?? 3,
      ...(raw.churn?.p_alive !== undefined ? { pAlive: raw.churn.p_alive } : {}),
    },
    ...(alerts.length > 0 ? { alerts } : {}),
    ...(raw.clv
      ? {
          clv: {
            model: raw.clv.model ?? DEFAULT_CLV.model,
            timeUnit: raw.clv.time_unit ?? DEFAULT_CLV.timeUnit,
            discountRate: raw.clv.discount_rate ?? DEFAULT_CLV.discountRate,
            margin: raw.clv.margin ?? DEFAULT_CLV.margin,
            ...(raw.clv.prior !== undefined ? { prior: raw.clv.prior } : {}),
            ...(raw.clv.exclude_nonpositive !== undefined ? { excludeNonpositive: raw.clv.exclude_nonpositive } : {}),
          },
        }
      : {}),
  };
  return { plan, problems };
}
