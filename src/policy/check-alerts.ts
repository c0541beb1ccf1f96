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
      ctx.report("policy.alert-twice", { alert: alert.name, first: first + 1 }, [...path, "name"]);
    else seen.set(alert.name, i);
    const k = schemeNames.indexOf(alert.scheme);
    const scheme = raw.schemes[k];
    if (!scheme) {
      ctx.report(
        "policy.alert-unknown-scheme",
        { alert: alert.name, scheme: alert.scheme },
        [...path, "scheme"],
        didYouMean(alert.scheme, schemeNames) ?? `schemes: ${schemeNames.join(", ")}`,
      );
      return;
    }
    if (brokenSchemes.has(k)) return;
    if ((scheme.entity ?? "customers") !== "customers") {
      ctx.report(
        "policy.alert-lead-scheme",
        { alert: alert.name, scheme: alert.scheme },
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
          "policy.alert-unknown-tier",
          { tier, scheme: alert.scheme },
          at,
          didYouMean(tier, tierNames) ?? `tiers: ${tierNames.join(", ")}`,
        );
      } else if (alert.tiers?.indexOf(tier) !== j) {
        tiersOk = false;
        ctx.report("policy.alert-tier-twice", { tier, alert: alert.name }, at);
      } else if (alert.when === "downgraded" && tier === lowest) {
        ctx.warn(
          "policy.alert-lowest-downgraded",
          { tier, scheme: alert.scheme },
          at,
          "remove it from the alert's tiers",
        );
      }
    });
    const tiers = alert.tiers ?? tierNames.slice(0, -1);
    if (tiers.length === 0) {
      ctx.report(
        "policy.alert-no-tier",
        { alert: alert.name, scheme: alert.scheme },
        [...path, "scheme"],
        "list the tiers to watch with tiers:",
      );
      return;
    }
    if (tiersOk) plans.push({ name: alert.name, scheme: alert.scheme, tiers, when: alert.when });
  });
  return plans;
}
