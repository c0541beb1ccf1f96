import type { NoticesPlan } from "../plan/policy.js";
import type { CheckContext } from "./check-context.js";
import type { SchemeFile } from "./schema.js";
import type { YamlPath } from "./source-map.js";

/**
 * A scheme's `notices:` (docs/policy.md, Notices): `upgrade_within` needs a
 * thresholds scheme (a metric and bounds to measure the distance on),
 * `downgrade_pending` a lifecycle (which is what holds a downgrade back);
 * each problem is located at its key. An amount is in the metric's units;
 * the thresholds checker multiplies it by `scale` for money metrics, as it
 * does the bounds.
 */
export function noticesPlan(
  raw: SchemeFile,
  hasLifecycle: boolean,
  ctx: CheckContext,
  path: YamlPath,
): NoticesPlan | undefined {
  const n = raw.notices;
  if (n === undefined) return undefined;
  const at = [...path, "notices"];
  let upgradeWithin: NoticesPlan["upgradeWithin"];
  if (n.upgrade_within !== undefined) {
    if (raw.kind !== "thresholds")
      ctx.report("policy.notice-needs-thresholds", { scheme: raw.name, kind: raw.kind }, [...at, "upgrade_within"]);
    else
      upgradeWithin =
        typeof n.upgrade_within === "number"
          ? { kind: "amount", value: n.upgrade_within }
          : { kind: "percent", value: Number(n.upgrade_within.slice(0, -1)) };
  }
  if (n.downgrade_pending === true && !hasLifecycle)
    ctx.report("policy.notice-needs-lifecycle", { scheme: raw.name }, [...at, "downgrade_pending"]);
  const plan: NoticesPlan = {
    ...(upgradeWithin ? { upgradeWithin } : {}),
    ...(n.downgrade_pending === true && hasLifecycle ? { downgradePending: true as const } : {}),
  };
  return plan.upgradeWithin || plan.downgradePending ? plan : undefined;
}
