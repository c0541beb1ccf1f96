import type { RepAssignment, RepChange } from "../decisions/assign-reps.js";
import { formats } from "../format/formats.js";
import { textTable } from "./text-table.js";

const NONE = "(none)";

/** The rows listed of `total`, then "… and N more" when the list was cut. */
function listed(
  formatCount: (n: number) => string,
  title: string,
  total: number,
  rows: readonly RepChange[],
  table: string,
  hint: string,
): string[] {
  if (total === 0) return [];
  if (rows.length === 0) return ["", `${title}: ${formatCount(total)} (not listed; ${hint})`];
  const head =
    rows.length < total
      ? `${title} (first ${formatCount(rows.length)} of ${formatCount(total)}, by customer id):`
      : `${title}:`;
  const out = ["", head, table];
  if (rows.length < total) out.push(`… and ${formatCount(total - rows.length)} more (${hint})`);
  return out;
}

/**
 * A rep assignment for a person: what was considered and what happens, per
 * level needed and per rep (gained, lost, load against capacity), then the
 * changes and the unassignable customers as far as the assignment listed
 * them, each list cut with "… and N more" and where to get the rest.
 */
export function renderRepAssignment(a: RepAssignment): string {
  // counts in the policy's locale, as every other text output
  const formatCount = formats(a.locale, a.currency).count;
  const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? "" : "s"}`;
  const status = a.dryRun
    ? " (dry run: nothing recorded)"
    : a.batchId !== undefined
      ? ` (recorded as batch ${a.batchId})`
      : "";
  const lines = [
    `${a.scheme} (run ${a.runId}): ${a.needs.map((n) => `${n.tier} → ${n.level}`).join(", ")}`,
    `${plural(a.considered, "customer")} considered: ${formatCount(a.kept)} kept their rep, ${plural(a.changed, "change")}, ${formatCount(a.unassignableCount)} unassignable${status}`,
  ];
  if (a.levels.length > 0)
    lines.push(
      "",
      textTable(
        ["level needed", " customers", " kept", " changes", " unassignable"],
        a.levels.map((l) => [
          l.level,
          formatCount(l.customers),
          formatCount(l.kept),
          formatCount(l.changed),
          formatCount(l.unassignable),
        ]),
      ),
    );
  lines.push(
    "",
    textTable(
      ["rep", "level", " gains", " loses", " load", " capacity", " use"],
      a.reps.map((r) => [
        r.repId,
        r.level,
        formatCount(r.gained),
        formatCount(r.lost),
        formatCount(r.load),
        r.capacity === null ? "unlimited" : formatCount(r.capacity),
        r.capacity === null
          ? ""
          : r.capacity === 0
            ? r.load > 0
              ? "over"
              : ""
            : `${Math.round((r.load / r.capacity) * 100)}%`,
      ]),
    ),
  );
  const hint = a.changesFile ? `all in ${a.changesFile.path}` : "use --limit N, --all or --out FILE";
  lines.push(
    ...listed(
      formatCount,
      "changes",
      a.changed,
      a.changes,
      textTable(
        ["customer", "tier", "from", "to", "reason"],
        a.changes.map((c) => [c.customerId, c.tier, c.from ?? NONE, c.to ?? NONE, c.reason]),
      ),
      hint,
    ),
    ...listed(
      formatCount,
      "unassignable, no eligible rep has room",
      a.unassignableCount,
      a.unassignable,
      textTable(
        ["customer", "tier", "current", "reason"],
        a.unassignable.map((c) => [c.customerId, c.tier, c.from ?? NONE, c.reason]),
      ),
      hint,
    ),
  );
  if (a.changesFile)
    lines.push(
      "",
      `${plural(a.changesFile.rows, "row")} (every change and unassignable customer) written to ${a.changesFile.path}`,
    );
  return lines.join("\n");
}
