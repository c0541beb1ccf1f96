-- Golden SQL of presets/satisfaction.yaml on duckdb, as of 2026-01-01 (UTC).
-- Regenerate: UPDATE_GOLDEN=1 npx vitest run test/run/golden.test.ts

-- facts: customers -> tw_facts_customers
SELECT c.customer_id AS entity_id, "s_1"."f_1", "s_2"."f_2" FROM "customers" c LEFT JOIN (SELECT customer_id, first(score ORDER BY "at" DESC, interaction_id DESC) FILTER (WHERE (kind = 'survey' AND score IS NOT NULL) AND ("at" >= CAST($1 AS TIMESTAMP))) AS "f_1" FROM "interactions" s WHERE "at" < CAST($2 AS TIMESTAMP) AND customer_id IS NOT NULL GROUP BY customer_id) "s_1" ON "s_1".customer_id = c.customer_id LEFT JOIN (SELECT customer_id, sum(amount) FILTER (WHERE (status = 'completed' AND NOT voided) AND ("ordered_at" >= CAST($3 AS TIMESTAMP))) AS "f_2" FROM (SELECT o."order_id", o."customer_id", o."ordered_at", o."amount", o."cost", o."discount", o."service_cost", o."status", o."channel", o."refunds_order_id", coalesce(o.kind, CASE WHEN o.amount < 0 THEN 'credit' ELSE 'order' END) AS kind,
    (coalesce(o.kind, CASE WHEN o.amount < 0 THEN 'credit' ELSE 'order' END) = 'credit' AND o.refunds_order_id IS NOT NULL AND o.refunds_order_id IN
      (SELECT r.order_id FROM "orders" r WHERE r.status <> 'completed')) AS voided
    FROM "orders" o) s WHERE "ordered_at" < CAST($4 AS TIMESTAMP) AND customer_id IS NOT NULL GROUP BY customer_id) "s_2" ON "s_2".customer_id = c.customer_id WHERE c.created_at IS NULL OR c.created_at < CAST($5 AS TIMESTAMP);
-- params: ["2025-01-01 00:00:00","2026-01-01 00:00:00","2025-01-01 00:00:00","2026-01-01 00:00:00","2026-01-01 00:00:00"]

-- grades: satisfaction (rules) -> tw_grades_1
WITH pop AS (SELECT * FROM "tw_facts_customers" WHERE COALESCE(("f_1" IS NOT NULL), FALSE)), st AS (SELECT pop.*, COALESCE("f_2", 0) AS tw_revenue FROM pop), g AS (SELECT entity_id, CASE WHEN COALESCE(("f_1" = $1), FALSE) THEN 1 WHEN COALESCE(("f_1" = $2), FALSE) THEN 2 ELSE 3 END AS tier_rank, CAST(NULL AS DOUBLE PRECISION) AS score, CASE WHEN COALESCE(("f_1" = $3), FALSE) THEN 1 WHEN COALESCE(("f_1" = $4), FALSE) THEN 2 ELSE 0 END AS rule_no, CAST(NULL AS VARCHAR) AS flags, tw_revenue FROM "st") SELECT entity_id, tier_rank, score, rule_no, flags, tw_revenue AS revenue FROM g;
-- params: [5,4,5,4]
