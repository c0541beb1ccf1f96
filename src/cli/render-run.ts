import { type Formats, formats } from "../format/formats.js";
import type { Explanation } from "../insight/explain.js";
import type { RunResult } from "../run/run.js";
import { textTable } from "./text-table.js";

/** Per scheme: tier, entities, share, revenue, share of revenue. */
export function renderRun(r: RunResult): string {
  const f = formats(r.locale, r.currency);
  const out: string[] = [`run ${r.runId} as of ${r.asOf} (${f.decimal(r.durationMs / 1000, 1)} s)`];
  for (const s of r.schemes) {
    const noun = s.entity === "customers" ? "customers" : "leads";
    out.push(
      "",
      `${s.scheme} (${s.kind}, ${s.visibility}): ${f.count(s.graded)} ${noun} graded, ${f.count(s.outOfScope)} out of scope`,
    );
    out.push(
      textTable(
        ["tier", noun, "share", `revenue (${r.currency})`, "share of revenue"],
        s.tiers.map((t) => [
          t.tier,
          f.count(t.entities),
          f.percent(t.share),
          f.amount(t.revenue),
          f.percent(t.revenueShare),
        ]),
        [1, 2, 3, 4],
      ),
    );
  }
  for (const w of r.warnings) out.push("", `warning: ${w}`);
  return out.join("\n");
}

/** A value label that names a CLV metric. */
const CLV_VALUE = /\b(p_alive|expected_orders|clv)\b/;

const show = (v: number | boolean | null, f: Formats) =>
  v === null ? "none" : typeof v === "boolean" ? (v ? "yes" : "no") : f.number(v);

/** The explanation of one entity, scheme by scheme. */
export function renderExplanation(e: Explanation): string {
  const f = formats(e.locale, e.currency);
  const out: string[] = [`${e.entityId} in run ${e.runId} as of ${e.asOf}, amounts in ${e.currency}`];
  if (e.dataChanged)
    out.push("note: the store's data changed since this run; values are recomputed on the current data");
  for (const s of e.schemes) {
    out.push(
      "",
      `${s.scheme}: ${s.tier ?? "out of scope"}${s.score !== null && s.kind !== "rules" ? `  (score ${show(s.score, f)})` : ""}`,
    );
    out.push(`  why: ${s.reason}`);
    if (s.lifecycle) out.push(`  lifecycle: ${s.lifecycle.text}`);
    if (s.live) out.push(`  live: ${s.live.text}`);
    if (s.naturalTier && s.naturalTier !== s.tier) out.push(`  without the override: ${s.naturalTier}`);
    if (s.override) {
      const until = s.override.expires ? ` until ${s.override.expires}` : "";
      out.push(`  override: ${s.override.mode} ${s.override.tier} by ${s.override.by}${until}: ${s.override.reason}`);
    }
    if (s.flags) out.push(`  flags: ${s.flags}`);
    for (const v of s.values) out.push(`  ${v.label.replace(/^rule:/, "rule ")} = ${show(v.value, f)}`);
    // The CLV model's warnings next to the values it produced.
    if (s.values.some((v) => CLV_VALUE.test(v.label))) for (const w of e.clvWarnings ?? []) out.push(`  note: ${w}`);
    if (s.up) out.push(`  up: ${s.up}`);
    if (s.down) out.push(`  down: ${s.down}`);
  }
  return out.join("\n");
}
