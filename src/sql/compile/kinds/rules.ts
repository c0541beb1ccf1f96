import type { RulesScheme } from "../../../plan/policy.js";
import { raw } from "../../fragment.js";
import type { KindSql, SchemeSql } from "../scheme.js";
import { caseWhen, gradesSelect, int } from "./common.js";

/** `rules`: the first matching rule (in evaluation order) places the entity; rule_no 0 is `otherwise`. */
export function rulesSql(plan: RulesScheme, s: SchemeSql): KindSql {
  const tests = plan.rules.map((r) => s.test(r.when));
  const rank = caseWhen(
    plan.rules.map((r, i) => ({ when: tests[i] ?? raw("FALSE"), value: int(s.rankOf(r.tier)) })),
    plan.otherwise ? int(s.rankOf(plan.otherwise.tier)) : raw("NULL"),
  );
  const ruleNo = caseWhen(
    plan.rules.map((_, i) => ({ when: tests[i] ?? raw("FALSE"), value: int(i + 1) })),
    plan.otherwise ? int(0) : raw("NULL"),
  );
  return {
    ctes: [],
    final: gradesSelect("st", { rank, ruleNo }),
    explain: plan.rules.map((r) => ({ label: `rule:${r.id}`, value: s.condition(r.when) })),
  };
}
