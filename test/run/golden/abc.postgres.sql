-- Golden SQL of presets/abc.yaml on postgres, as of 2026-01-01 (UTC).
-- Regenerate: UPDATE_GOLDEN=1 npx vitest run test/run/golden.test.ts

-- facts: customers -> tw_facts_customers
SELECT c.customer_id AS entity_id, "s_1"."f_1" FROM "customers" c LEFT JOIN (SELECT customer_id, sum(amount) FILTER (WHERE (status = 'completed' AND NOT voided) AND ("ordered_at" >= CAST($1 AS TIMESTAMP))) AS "f_1" FROM (SELECT o."order_id", o."customer_id", o."ordered_at", o."amount", o."cost", o."discount", o."service_cost", o."status", o."channel", o."refunds_order_id", coalesce(o.kind, CASE WHEN o.amount < 0 THEN 'credit' ELSE 'order' END) AS kind,
    (coalesce(o.kind, CASE WHEN o.amount < 0 THEN 'credit' ELSE 'order' END) = 'credit' AND o.refunds_order_id IS NOT NULL AND o.refunds_order_id IN
      (SELECT r.order_id FROM "orders" r WHERE r.status <> 'completed')) AS voided
    FROM "orders" o) s WHERE "ordered_at" < CAST($2 AS TIMESTAMP) AND customer_id IS NOT NULL GROUP BY customer_id) "s_1" ON "s_1".customer_id = c.customer_id WHERE c.created_at IS NULL OR c.created_at < CAST($3 AS TIMESTAMP);
-- params: ["2025-01-01 00:00:00","2026-01-01 00:00:00","2026-01-01 00:00:00"]

-- grades: abc (pareto) -> tw_grades_1
WITH pop AS (SELECT * FROM "tw_facts_customers" WHERE TRUE), st AS (SELECT pop.*, COALESCE("f_1", 0) AS tw_revenue FROM pop), "shares" AS (SELECT entity_id, v,
    sum(v) OVER (ORDER BY v DESC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - sum(v) OVER (PARTITION BY v) AS before,
    sum(v) OVER () AS total, tw_revenue FROM (SELECT entity_id, greatest(COALESCE(COALESCE("f_1", 0), 0), 0) AS v, tw_revenue FROM st) x), g AS (SELECT entity_id, CASE WHEN total <= 0 THEN 3 ELSE CASE WHEN before * 100 < CAST($1 AS DECIMAL(18,4)) * total THEN 1 WHEN before * 100 < CAST($2 AS DECIMAL(18,4)) * total THEN 2 ELSE 3 END END AS tier_rank, CAST(v AS DOUBLE PRECISION) AS score, CAST(NULL AS INTEGER) AS rule_no, CAST(NULL AS VARCHAR) AS flags, tw_revenue FROM "shares") SELECT entity_id, tier_rank, score, rule_no, flags, tw_revenue AS revenue FROM g;
-- params: [80,95]
