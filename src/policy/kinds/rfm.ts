import type { RfmScheme } from "../../plan/policy.js";
import type { SchemeFile } from "../schema.js";
import type { KindChecker } from "./kind.js";

type Raw = Extract<SchemeFile, { kind: "rfm" }>;

function range(v: number | string): [number, number] {
  if (typeof v === "number") return [v, v];
  const [a, b] = v.split("-").map(Number) as [number, number];
  return [Math.min(a, b), Math.max(a, b)];
}

/** `rfm`: quintile scores and named segments by R and F; the map must cover each of the 25 cells once. */
export const checkRfm: KindChecker<Raw> = (raw, ctx, path, common) => {
  const recency = ctx.expression(raw.recency ?? "recency", [...path, "recency"], common.entity, "number");
  const frequency = ctx.expression(
    raw.frequency ?? "orders(lifetime)",
    [...path, "frequency"],
    common.entity,
    "number",
  );
  const monetary = ctx.expression(raw.monetary ?? "spend(lifetime)", [...path, "monetary"], common.entity, "number");
  const segments = raw.tiers.map((t) => ({ tier: t.name, r: range(t.r), f: range(t.f) }));
  const owner = new Map<string, number>();
  segments.forEach((s, i) => {
    for (let r = s.r[0]; r <= s.r[1]; r++) {
      for (let f = s.f[0]; f <= s.f[1]; f++) {
        const cell = `${r}${f}`;
        const first = owner.get(cell);
        if (first !== undefined) {
          const other = segments[first]?.tier ?? "";
          ctx.report("policy.rfm-cell-twice", { r, f, first: String(other), second: s.tier }, [...path, "tiers", i]);
        } else owner.set(cell, i);
      }
    }
    if (![...owner.values()].includes(i)) {
      ctx.report("policy.rfm-tier-covered", { tier: s.tier }, [...path, "tiers", i]);
    }
  });
  const gaps: string[] = [];
  for (let r = 5; r >= 1; r--) for (let f = 5; f >= 1; f--) if (!owner.has(`${r}${f}`)) gaps.push(`R${r} F${f}`);
  if (gaps.length > 0) {
    ctx.report(
      "policy.rfm-gaps",
      { cells: gaps.join(", ") },
      [...path, "tiers"],
      "every R×F cell from 1 to 5 needs a segment",
    );
  }
  if (!recency || !frequency || !monetary) return undefined;
  const plan: RfmScheme = { ...common, kind: "rfm", recency, frequency, monetary, segments };
  return plan;
};
