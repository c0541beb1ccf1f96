import { didYouMean } from "../../errors/index.js";
import type { Expression } from "../../plan/expression.js";
import type { RulePlan, RulesScheme } from "../../plan/policy.js";
import { printExpression } from "../expression/print.js";
import type { SchemeFile } from "../schema.js";
import type { KindChecker } from "./kind.js";

type Raw = Extract<SchemeFile, { kind: "rules" }>;

/** A rule of the form `X >= n` / `X > n`: its left side's text and its bound. */
function lowerBound(e: Expression): { subject: string; bound: number; strict: boolean } | undefined {
  if (e.kind !== "compare" || e.right.kind !== "number") return undefined;
  if (e.op !== ">=" && e.op !== ">") return undefined;
  return { subject: printExpression(e.left), bound: e.right.value, strict: e.op === ">" };
}

/** Whether rule `later` can never match once `earlier` was tried (same condition, or a weaker lower bound). */
function covers(earlier: Expression, later: Expression): boolean {
  if (printExpression(earlier) === printExpression(later)) return true;
  const a = lowerBound(earlier);
  const b = lowerBound(later);
  if (!a || !b || a.subject !== b.subject) return false;
  return b.bound > a.bound || (b.bound === a.bound && (b.strict || !a.strict));
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "") || "tier";

/** `rules`: ordered conditions, first match wins (relationship-ladder, three-tier, lead-grades, satisfaction). */
export const checkRules: KindChecker<Raw> = (raw, ctx, path, common) => {
  const names = raw.tiers.map((t) => t.name);
  const order = raw.order ?? names;
  let orderOk = true;
  raw.order?.forEach((n, i) => {
    if (!names.includes(n)) {
      orderOk = false;
      ctx.report("policy.order-unknown-tier", { name: n }, [...path, "order", i], didYouMean(n, names));
    }
  });
  if (raw.order && orderOk) {
    const missing = names.filter((n) => !order.includes(n));
    if (missing.length > 0 || new Set(order).size !== order.length) {
      ctx.report("policy.order-incomplete", {}, [...path, "order"], `missing: ${missing.join(", ")}`);
    }
  }
  let failed = false;
  const rules: (RulePlan & { tier: string })[] = [];
  let otherwise: RulesScheme["otherwise"];
  const byTier = new Map(raw.tiers.map((t, i) => [t.name, { t, i }]));
  for (const tierName of order) {
    const entry = byTier.get(tierName);
    if (!entry) continue;
    const { t, i } = entry;
    const at = [...path, "tiers", i];
    const given = [t.when, t.rules, t.otherwise].filter((x) => x !== undefined).length;
    if (t.when !== undefined && t.rules !== undefined) {
      ctx.report("policy.when-and-rules", { tier: t.name }, at, "keep one");
    }
    if (given === 0) {
      ctx.report("policy.tier-without-rule", { tier: t.name }, at);
    }
    const list = t.rules ?? (t.when !== undefined ? [{ when: t.when }] : []);
    list.forEach((r, k) => {
      const wherePath = t.rules ? [...at, "rules", k, "when"] : [...at, "when"];
      const when = ctx.expression(r.when, wherePath, common.entity, "boolean");
      if (!when) {
        failed = true;
        return;
      }
      const earlier = rules.find((e) => covers(e.when.expression, when.expression));
      if (earlier) {
        if (earlier.tier === t.name) ctx.report("policy.rule-covered", { tier: t.name, rule: earlier.id }, wherePath);
        else ctx.report("policy.tier-covered", { tier: t.name, above: earlier.tier }, wherePath);
      }
      const id = ("id" in r && r.id) || (list.length > 1 ? `${slug(t.name)}.${k + 1}` : slug(t.name));
      const reason = ("reason" in r && r.reason) || when.text;
      rules.push({ tier: t.name, id, reason, when });
    });
    if (t.otherwise !== undefined) {
      if (otherwise) {
        ctx.report("policy.otherwise-twice", { tier: otherwise.tier }, [...at, "otherwise"]);
      }
      otherwise = { tier: t.name, reason: t.otherwise || "no rule matched" };
    }
  }
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) ctx.report("policy.rule-id-twice", { id: r.id }, path);
    ids.add(r.id);
  }
  if (failed) return undefined;
  const plan: RulesScheme = { ...common, kind: "rules", rules, ...(otherwise ? { otherwise } : {}) };
  return plan;
};
