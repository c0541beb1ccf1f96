import { completedOrders, type Fixture, type FixtureRow } from "../support.js";

/** Six customers with known 12-month spend before 2026-01-01: C1 120,000 … C5 5,000, C6 none. */
export const SPENDS: Readonly<Record<string, number>> = { C1: 120_000, C2: 90_000, C3: 60_000, C4: 30_000, C5: 5_000 };

export function customers(ids: readonly string[], extra: (id: string) => FixtureRow = () => ({})): FixtureRow[] {
  return ids.map((id) => ({ customer_id: id, created_at: "2024-01-01 00:00:00", ...extra(id) }));
}

export const SIX: Fixture = {
  customers: customers(["C1", "C2", "C3", "C4", "C5", "C6"]),
  orders: Object.entries(SPENDS).flatMap(([id, amount]) => completedOrders(id, [["2025-06-01", amount]])),
};

/** A value-grades policy with the given VIP bound and playbooks for VIP and Gold. */
export function valuePolicy(vip: number, extra = ""): string {
  return `version: 1
schemes:
  - name: value
    kind: thresholds
    metric: spend(12 months)
    tiers:
      - { name: VIP, min: ${vip} }
      - { name: Gold, min: 50000 }
      - { name: Silver, min: 20000 }
      - { name: Regular, above: 0 }
      - { name: Potential }
    playbooks:
      VIP:
        service: premium
        rep_level: senior
        benefits:
          - { name: member prices, discount_percent: 5 }
          - { name: birthday gift, gift: 100 }
        campaigns: [vip-launch]
      Gold:
        service: proactive
        rep_level: key-account
        benefits:
          - { name: faster service, per_customer: 50 }
      Silver: { rep_level: standard, benefits: [{ name: coupon, discount_percent: 2 }] }
${extra}`;
}
