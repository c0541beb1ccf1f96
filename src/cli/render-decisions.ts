import type { ActionsResult } from "../decisions/actions.js";
import type { Bound, Calibration } from "../decisions/calibrate.js";
import type { WhatIf, WhatIfScheme } from "../decisions/what-if.js";
import { type Formats, formats } from "../format/formats.js";
import { textTable } from "./text-table.js";

const NOT_GRADED = "(not graded)";

function whatIfScheme(s: WhatIfScheme, currency: string, f: Formats): string {
  const count = f.count;
  // whole currency units: a what-if compares sizes, and cents would push the table past 80 columns
  const money = (n: number) => f.count(Math.round(n));
  const tiers: string[] = [...(s.current?.tiers.map((t) => t.tier) ?? [])];
  for (const t of s.proposed?.tiers ?? []) if (!tiers.includes(t.tier)) tiers.push(t.tier);
  const of = (side: WhatIfScheme["current"], tier: string) => side?.tiers.find((t) => t.tier === tier);
  const num = (v: number | undefined) => (v === undefined ? "" : count(v));
  const cash = (v: number | undefined) => (v === undefined ? "" : money(v));
  const rows = tiers.map((tier) => {
    const a = of(s.current, tier);
    const b = of(s.proposed, tier);
    return [
      tier,
      num(a?.entities),
      num(b?.entities),
      cash(a?.revenue),
      cash(b?.revenue),
      cash(a?.benefitCost.total),
      cash(b?.benefitCost.total),
    ];
  });
  rows.push([
    "total",
    num(s.current?.graded),
    num(s.proposed?.graded),
    cash(s.current?.revenue),
    cash(s.proposed?.revenue),
    cash(s.current?.benefitCost),
    cash(s.proposed?.benefitCost),
  ]);
  const paired =
    s.currentScheme !== undefined && s.proposedScheme !== undefined && s.currentScheme !== s.proposedScheme;
  const lines = [
    `${paired ? `${s.currentScheme} (current) against ${s.proposedScheme} (proposed)` : s.scheme}${s.current ? "" : " (only in the proposed policy)"}${s.proposed ? "" : " (only in the current policy)"}`,
    ...s.notes.map((n) => `note: ${n}`),
    `customers, revenue and yearly benefit cost (${currency}): now, then as proposed`,
    textTable(["tier", " customers", " new", " revenue", " new", " benefits/yr", " new"], rows),
  ];
  const froms = [...(s.current?.tiers.map((t) => t.tier) ?? []), null].filter(
    (t) => t !== null || s.matrix.some((c) => c.from === null),
  );
  const tos = [...(s.proposed?.tiers.map((t) => t.tier) ?? []), null].filter(
    (t) => t !== null || s.matrix.some((c) => c.to === null),
  );
  const cell = (from: string | null, to: string | null) =>
    s.matrix.find((c) => c.from === from && c.to === to)?.entities ?? 0;
  lines.push(
    "",
    textTable(
      ["current \\ proposed", ...tos.map((t) => ` ${t ?? NOT_GRADED}`)],
      froms.map((from) => [from ?? NOT_GRADED, ...tos.map((t) => count(cell(from, t)))]),
    ),
    `${count(s.movers)} would change tier, ${count(s.unchanged)} would not`,
  );
  return lines.join("\n");
}

/** Per scheme: tier counts, revenue and benefit cost side by side, the from → to matrix, the movers. */
export function renderWhatIf(w: WhatIf): string {
  const f = formats(w.locale, w.currency);
  const count = f.count;
  const parts = [
    `what-if as of ${w.asOf} (no snapshot written)`,
    ...w.schemes.map((s) => whatIfScheme(s, w.currency, f)),
  ];
  if (w.moversFile) parts.push(`${count(w.moversFile.rows)} movers written to ${w.moversFile.path}`);
  for (const warning of w.warnings) parts.push(`warning: ${warning}`);
  return parts.join("\n\n");
}

/** Each tier's bound and share now and proposed, against its target; where the patch went. */
export function renderCalibration(c: Calibration): string {
  const f = formats(c.locale, c.currency);
  const count = f.count;
  const value = (n: number) => f.number(n, 3);
  const bound = (b: Bound) =>
    b.min !== undefined ? `≥ ${value(b.min)}` : b.above !== undefined ? `> ${value(b.above)}` : "rest";
  const pct = f.percent;
  const now = c.tiers.map((t) => [
    t.tier,
    bound(t.currentBound),
    count(t.current.entities),
    pct(t.current.share),
    pct(t.current.revenueShare),
  ]);
  const proposed = c.tiers.map((t) => [
    t.tier,
    bound(t.proposedBound),
    count(t.proposed.entities),
    pct(t.proposed.share),
    pct(t.proposed.revenueShare),
    t.target === undefined ? "" : f.percent(t.target / 100),
  ]);
  const headers = ["tier", "bound", " graded", " share", " of revenue"];
  const unit =
    c.money && c.scale !== 1
      ? [`bounds as the policy writes them: × scale ${f.number(c.scale)} gives ${c.currency}`]
      : c.money
        ? [`bounds in ${c.currency}`]
        : [];
  return [
    `${c.scheme}: ${c.metric}, ${count(c.graded)} graded, as of ${c.asOf}; targets are shares of ${c.by}`,
    ...unit,
    "",
    "now",
    textTable(headers, now),
    "",
    "proposed",
    textTable([...headers, " target"], proposed),
    "",
    ...c.notes.map((n) => `note: ${n}`),
    c.patchFile ? `patch written to ${c.patchFile}` : c.patch.trimEnd(),
    ...(c.policyFile ? [`policy written to ${c.policyFile}`] : []),
  ].join("\n");
}

/** What `tierwise actions` wrote: the file, then customers per scheme, tier and action. */
export function renderActions(r: ActionsResult): string {
  const count = formats(r.locale, r.currency).count;
  const redacted = r.columns.includes("email") ? "" : " without contact data (--redact: no email column)";
  const head = `wrote ${count(r.rows)} action rows of run ${r.runId} (as of ${r.asOf}; ${r.schemes.join(", ")}) to ${r.path}${redacted}`;
  if (r.counts.length === 0) return `${head}\nno customer of the chosen tiers has an action`;
  return [
    head,
    textTable(
      ["scheme", "tier", "action", "detail", "customers"],
      r.counts.map((c) => [c.scheme, c.tier, c.action, c.detail, count(c.customers)]),
      [4],
    ),
    `the file's cost column is in ${r.currency} per customer a year`,
  ].join("\n");
}
