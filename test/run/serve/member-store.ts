import type { FastifyInstance } from "fastify";
import type { Engine } from "../../../src/engine/engine.js";
import { buildServer } from "../../../src/serve/server.js";
import { createApiKey } from "../../../src/store/api-keys.js";
import { completedOrders, type FixtureRow, grade, memoryStore, policyFile, seed } from "../support.js";

/**
 * A programme with a customer-facing scheme (`club`: calendar-year spend,
 * Gold ≥ 1000 kept while ≥ 800, Silver ≥ 300, Member; downgrades at the
 * period end) and an internal one (`internal-heat`) that a member never
 * sees. Graded as of 2026-07-01 and 2026-10-01 (window 2026-01-01 …
 * 2026-09-30), hand-checked:
 *   below  880 Silver (120 short of Gold) · at300 300 Silver (exactly at
 *   the bound) · at1000 1000 Gold (exactly) · above 1500 Gold · none 0
 *   Member · falling 1000 then a 300 credit note on 2026-08-01: 700 < 800,
 *   Gold kept, downgrade to Silver pending until 2027-01-01.
 */
export const MEMBER_POLICY = `version: 1
currency: EUR
locale: en-US
schemes:
  - name: club
    kind: thresholds
    entity: customers
    visibility: customer-facing
    metric: spend(calendar_year)
    tiers:
      - { name: Gold, min: 1000, keep: 800 }
      - { name: Silver, min: 300 }
      - { name: Member }
    lifecycle:
      period: year
      downgrade: period end
    playbooks:
      Gold:
        benefits:
          - { name: member prices, discount_percent: 5 }
          - { name: free delivery, per_customer: 20 }
      Silver:
        benefits:
          - { name: birthday gift, gift: 10 }
  - name: internal-heat
    kind: thresholds
    entity: customers
    metric: spend(12 months)
    tiers:
      - { name: Hot, min: 500 }
      - { name: Cold }
`;

const CUSTOMERS: FixtureRow[] = ["above", "at1000", "at300", "below", "falling", "none"].map((id) => ({
  customer_id: id,
  name: `Member ${id}`,
}));

const ORDERS: FixtureRow[] = [
  ...completedOrders("below", [["2026-03-01", 880]]),
  ...completedOrders("at300", [["2026-03-01", 300]]),
  ...completedOrders("at1000", [["2026-03-01", 1000]]),
  ...completedOrders("above", [["2026-03-01", 1500]]),
  ...completedOrders("falling", [
    ["2026-03-01", 1000],
    ["2026-08-01", -300],
  ]),
];

export interface MemberServed {
  readonly engine: Engine;
  readonly app: FastifyInstance;
  readonly keys: { readonly member: string; readonly admin: string; readonly viewer: string };
  close(): Promise<void>;
}

/**
 * The programme's store graded at each date in turn (by default 2026-07-01 and
 * 2026-10-01: the second run reads the first's lifecycle state), and a server over it.
 */
export async function memberServed(
  dates: readonly string[] = ["2026-07-01", "2026-10-01"],
  policy = MEMBER_POLICY,
  overrides: readonly FixtureRow[] = [],
): Promise<MemberServed> {
  const engine = await memoryStore();
  await seed(engine, { customers: CUSTOMERS, orders: ORDERS, tw_overrides: overrides });
  const file = await policyFile(policy);
  for (const date of dates) await grade(engine, { file }, date);
  const keys = {
    member: await createApiKey(engine, "shop", "member"),
    admin: await createApiKey(engine, "ops", "admin"),
    viewer: await createApiKey(engine, "crm", "viewer"),
  };
  const app = await buildServer(engine, { logger: false });
  await app.ready();
  return {
    engine,
    app,
    keys,
    close: async () => {
      await app.close();
      await engine.close();
    },
  };
}
