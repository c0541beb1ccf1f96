import { didYouMean } from "../errors/index.js";
import type { BenefitPlan, PlaybookPlan } from "../plan/playbook.js";
import type { CheckContext } from "./check-context.js";
import type { SchemeFile } from "./schema.js";
import type { YamlPath } from "./source-map.js";

/**
 * Check a scheme's `playbooks:` (a map from tier name to playbook): every key
 * names a tier of the scheme (a located error with the name probably meant
 * otherwise), every benefit has exactly one cost, benefit names and campaign
 * tags are unique within a playbook. Returns the playbooks in tier order.
 * Costs are money in the policy's currency per year; `scale` does not apply
 * (it rescales thresholds, not prices).
 */
export function checkPlaybooks(raw: SchemeFile, ctx: CheckContext, path: YamlPath): PlaybookPlan[] {
  const given = raw.playbooks ?? {};
  const tierNames = raw.tiers.map((t) => t.name);
  const at = (tier: string, ...rest: (string | number)[]): YamlPath => [...path, "playbooks", tier, ...rest];
  for (const tier of Object.keys(given)) {
    if (!tierNames.includes(tier))
      ctx.report(
        "policy.playbook-unknown-tier",
        { tier, scheme: raw.name },
        at(tier),
        didYouMean(tier, tierNames) ?? `tiers: ${tierNames.join(", ")}`,
        true,
      );
  }
  const plans: PlaybookPlan[] = [];
  for (const tier of tierNames) {
    const p = Object.hasOwn(given, tier) ? given[tier] : undefined;
    if (!p) continue;
    const benefits: BenefitPlan[] = [];
    const names = new Set<string>();
    (p.benefits ?? []).forEach((b, i) => {
      if (names.has(b.name))
        ctx.report("policy.benefit-twice", { benefit: b.name, tier }, [...at(tier, "benefits", i, "name")]);
      names.add(b.name);
      const costs = [
        b.discount_percent === undefined
          ? undefined
          : ({ name: b.name, kind: "discount", percent: b.discount_percent } as const),
        b.per_customer === undefined
          ? undefined
          : ({ name: b.name, kind: "fixed", perCustomer: b.per_customer } as const),
        b.gift === undefined ? undefined : ({ name: b.name, kind: "gift", perCustomer: b.gift } as const),
      ].filter((c) => c !== undefined);
      const [cost] = costs;
      if (costs.length !== 1 || !cost) {
        ctx.report(
          "policy.benefit-costs",
          { benefit: b.name, tier, count: costs.length },
          at(tier, "benefits", i),
          "give one of discount_percent (percent of spend), per_customer (money per customer per year) or gift (money per customer per year)",
        );
        return;
      }
      benefits.push(cost);
    });
    const campaigns = p.campaigns ?? [];
    campaigns.forEach((c, i) => {
      if (campaigns.indexOf(c) !== i)
        ctx.report("policy.campaign-twice", { campaign: c, tier }, [...at(tier, "campaigns", i)]);
    });
    plans.push({
      tier,
      ...(p.service ? { service: p.service } : {}),
      ...(p.rep_level ? { repLevel: p.rep_level } : {}),
      benefits,
      campaigns: [...new Set(campaigns)],
    });
  }
  return plans;
}
