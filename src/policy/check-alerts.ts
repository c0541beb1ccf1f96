import { didYouMean } from "../errors/index.js";
import type { AlertPlan } from "../plan/alert.js";
import type { CheckContext } from "./check-context.js";
import type { PolicyFile } from "./schema.js";

/**
 * Check the policy's `alerts:`: unique names, a customer scheme of the policy,
 * tiers of that scheme. Problems are located at the offending value. An alert
 * on a scheme with structural problems is not checked further (the scheme's
 * problems say what to fix). Without `tiers`, an alert watches every tier but
 * the lowest (docs/schemes.md §1: a lowest-tier departure triggers nothing).
 */
export function checkAlerts(raw: PolicyFile, ctx: CheckContext, brokenSchemes: ReadonlySet<number>): AlertPlan[] {
  const plans: AlertPlan[] = [];
  const seen = new Map<string, number>();
  const schemeNames = raw.schemes.map((s) => s.name);
  (raw.alerts ?? []).forEach((alert, i) => {
    const path = ["alerts", i];
    const first = seen.get(alert.name);
    if (first !== undefined)
      ctx.report("POLICY_DUPLICATE", `alert \`${alert.name}\` is defined twice (first as alert ${first + 1})`, [
        ...path,
        "name",
      ]);
    else seen.set(alert.name, i);
    const k = schemeNames.indexOf(alert.scheme);
    const scheme = raw.schemes[k];
    if (!scheme) {
      ctx.report(
        "POLICY_UNKNOWN_NAME",
        `alert \`${alert.name}\` watches \`${alert.scheme}\`, which is not a scheme of this policy`,
        [...path, "scheme"],
        didYouMean(alert.scheme, schemeNames) ?? `schemes: ${schemeNames.join(", ")}`,
      );
      return;
    }
    if (brokenSchemes.has(k)) return;
    if ((scheme.entity ?? "customers") !== "customers") {
      ctx.report(
        "POLICY_SHAPE",
        `alert \`${alert.name}\` watches \`${alert.scheme}\`, a scheme of leads`,
        [...path, "scheme"],
        "alerts watch customer schemes",
      );
      return;
    }
    const tierNames = scheme.tiers.map((t) => t.name);
    const lowest = tierNames[tierNames.length - 1];
    let tiersOk = true;
    alert.tiers?.forEach((tier, j) => {
      const at = [...path, "tiers", j];
      if (!tierNames.includes(tier)) {
        tiersOk = false;
        ctx.report(
          "POLICY_UNKNOWN_NAME",
          `\`${tier}\` is not a tier of scheme \`${alert.scheme}\``,
          at,
          didYouMean(tier, tierNames) ?? `tiers: ${tierNames.join(", ")}`,
        );
      } else if (alert.tiers?.indexOf(tier) !== j) {
        tiersOk = false;
        ctx.report("POLICY_DUPLICATE", `tier \`${tier}\` appears twice in alert \`${alert.name}\``, at);
      } else if (alert.when === "downgraded" && tier === lowest) {
        ctx.warn(
          "POLICY_UNREACHABLE_TIER",
          `\`${tier}\` is the lowest tier of \`${alert.scheme}\`: it cannot be downgraded`,
          at,
          "remove it from the alert's tiers",
        );
      }
    });
    const tiers = alert.tiers ?? tierNames.slice(0, -1);
    if (tiers.length === 0) {
      ctx.report(
        "POLICY_SHAPE",
        `alert \`${alert.name}\` watches no tier: \`${alert.scheme}\` has one tier, and the lowest is left out by default`,
        [...path, "scheme"],
        "list the tiers to watch with tiers:",
      );
      return;
    }
    if (tiersOk) plans.push({ name: alert.name, scheme: alert.scheme, tiers, when: alert.when });
  });
  return plans;
}
