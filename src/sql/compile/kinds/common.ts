import { ident, join, raw, type SqlFragment, sql } from "../../fragment.js";

/** A threshold as an exact decimal, so comparisons with money are exact on every engine. */
export const decimal = (n: number): SqlFragment => sql`CAST(${n} AS DECIMAL(18,4))`;

export const toDouble = (f: SqlFragment): SqlFragment => sql`CAST(${f} AS DOUBLE PRECISION)`;

/** `CASE WHEN c1 THEN v1 … ELSE otherwise END`. */
export function caseWhen(
  branches: readonly { readonly when: SqlFragment; readonly value: SqlFragment }[],
  otherwise: SqlFragment = raw("NULL"),
): SqlFragment {
  if (branches.length === 0) return otherwise;
  const whens = branches.map((b) => sql` WHEN ${b.when} THEN ${b.value}`);
  return sql`CASE${join(whens, "")} ELSE ${otherwise} END`;
}

/** An integer literal chosen by Tierwise (ranks, rule numbers): fixed SQL text, not user input. */
export const int = (n: number): SqlFragment => {
  if (!Number.isInteger(n)) throw new Error(`internal: ${n} is not an integer`);
  return raw(String(n));
};

/**
 * A kind's final SELECT in the shape every kind returns: entity_id,
 * tier_rank, score (double), rule_no, flags and tw_revenue carried through
 * (and keep_rank, the tier whose retention bound holds, when the kind has them).
 */
export function gradesSelect(
  from: string,
  g: { rank: SqlFragment; score?: SqlFragment; ruleNo?: SqlFragment; flags?: SqlFragment; keepRank?: SqlFragment },
): SqlFragment {
  const keep = g.keepRank ? sql`, ${g.keepRank} AS keep_rank` : raw("");
  const score = g.score ? toDouble(g.score) : raw("CAST(NULL AS DOUBLE PRECISION)");
  const ruleNo = g.ruleNo ?? raw("CAST(NULL AS INTEGER)");
  const flags = g.flags ?? raw("CAST(NULL AS VARCHAR)");
  return sql`SELECT entity_id, ${g.rank} AS tier_rank, ${score} AS score, ${ruleNo} AS rule_no, ${flags} AS flags, tw_revenue${keep} FROM ${ident(from)}`;
}
