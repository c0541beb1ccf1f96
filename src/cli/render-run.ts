import type { Explanation } from "../run/explain.js";
import type { RunResult } from "../run/run.js";
import { formatCount, textTable } from "./text-table.js";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const money = (x: number) => x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Per scheme: tier, entities, share, revenue, share of revenue. */
export function renderRun(r: RunResult): string {
  const out: string[] = [`run ${r.runId} as of ${r.asOf} (${(r.durationMs / 1000).toFixed(1)} s)`];
  for (const s of r.schemes) {
    const noun = s.entity === "customers" ? "customers" : "leads";
    out.push(
      "",
      `${s.scheme} (${s.kind}, ${s.visibility}): ${formatCount(s.graded)} ${noun} graded, ${formatCount(s.outOfScope)} out of scope`,
    );
    out.push(
      textTable(
        ["tier", noun, "share", `revenue (${r.currency})`, "share of revenue"],
        s.tiers.map((t) => [t.tier, formatCount(t.entities), pct(t.share), money(t.revenue), pct(t.revenueShare)]),
      ),
    );
  }
  for (const w of r.warnings) out.push("", `warning: ${w}`);
  return out.join("\n");
}

const show = (v: number | boolean | null) =>
  v === null
    ? "none"
    : typeof v === "boolean"
      ? v
        ? "yes"
        : "no"
      : v.toLocaleString("en-US", { maximumFractionDigits: 2 });

/** The explanation of one entity, scheme by scheme. */
export function renderExplanation(e: Explanation): string {
  const out: string[] = [`${e.entityId} in run ${e.runId} as of ${e.asOf}`];
  if (e.dataChanged)
    out.push("note: the store's data changed since this run; values are recomputed on the current data");
  for (const s of e.schemes) {
    out.push(
      "",
      `${s.scheme}: ${s.tier ?? "out of scope"}${s.score !== null && s.kind !== "rules" ? `  (score ${show(s.score)})` : ""}`,
    );
    out.push(`  why: ${s.reason}`);
    if (s.lifecycle) out.push(`  lifecycle: ${s.lifecycle.text}`);
    if (s.naturalTier && s.naturalTier !== s.tier) out.push(`  without the override: ${s.naturalTier}`);
    if (s.override) {
      const until = s.override.expires ? ` until ${s.override.expires}` : "";
      out.push(`  override: ${s.override.mode} ${s.override.tier} by ${s.override.by}${until}: ${s.override.reason}`);
    }
    if (s.flags) out.push(`  flags: ${s.flags}`);
    for (const v of s.values) out.push(`  ${v.label.replace(/^rule:/, "rule ")} = ${show(v.value)}`);
    if (s.up) out.push(`  up: ${s.up}`);
    if (s.down) out.push(`  down: ${s.down}`);
  }
  return out.join("\n");
}
