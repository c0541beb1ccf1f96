-- Golden SQL of presets/rfm.yaml on postgres, as of 2026-01-01 (UTC).
-- Regenerate: UPDATE_GOLDEN=1 npx vitest run test/run/golden.test.ts

-- facts: customers -> tw_facts_customers
SELECT c.customer_id AS entity_id, "s_1"."f_1", "s_1"."f_2", "s_1"."f_3", "s_1"."f_4" FROM "customers" c LEFT JOIN (SELECT customer_id, max(ordered_at) FILTER (WHERE status = 'completed') AS "f_1", count(*) FILTER (WHERE (status = 'completed')) AS "f_2", sum(amount) FILTER (WHERE (status = 'completed')) AS "f_3", sum(amount) FILTER (WHERE (status = 'completed') AND ("ordered_at" >= CAST($1 AS TIMESTAMP))) AS "f_4" FROM "orders" s WHERE "ordered_at" < CAST($2 AS TIMESTAMP) AND customer_id IS NOT NULL GROUP BY customer_id) "s_1" ON "s_1".customer_id = c.customer_id WHERE c.created_at IS NULL OR c.created_at < CAST($3 AS TIMESTAMP);
-- params: ["2025-01-01 00:00:00","2026-01-01 00:00:00","2026-01-01 00:00:00"]

-- grades: rfm (rfm) -> tw_grades_1
WITH pop AS (SELECT * FROM "tw_facts_customers" WHERE COALESCE((COALESCE("f_2", 0) >= $1), FALSE)), st AS (SELECT pop.* FROM pop), "rfm_values" AS (SELECT entity_id, (CAST(CAST($2 AS DATE) AS DATE) - CAST("f_1" AS DATE)) AS rv, COALESCE("f_2", 0) AS fv,
    COALESCE("f_3", 0) AS mv FROM st), "rfm_scores" AS (SELECT entity_id, 1 + div(5 * (rank() OVER (ORDER BY rv DESC) - 1), count(*) OVER ()) AS r, 1 + div(5 * (rank() OVER (ORDER BY fv) - 1), count(*) OVER ()) AS f, 1 + div(5 * (rank() OVER (ORDER BY mv) - 1), count(*) OVER ()) AS m
    FROM rfm_values WHERE rv IS NOT NULL AND fv IS NOT NULL AND mv IS NOT NULL), g AS (SELECT entity_id, CASE WHEN r BETWEEN 5 AND 5 AND f BETWEEN 4 AND 5 THEN 1 WHEN r BETWEEN 3 AND 4 AND f BETWEEN 4 AND 5 THEN 2 WHEN r BETWEEN 4 AND 5 AND f BETWEEN 2 AND 3 THEN 3 WHEN r BETWEEN 5 AND 5 AND f BETWEEN 1 AND 1 THEN 4 WHEN r BETWEEN 4 AND 4 AND f BETWEEN 1 AND 1 THEN 5 WHEN r BETWEEN 3 AND 3 AND f BETWEEN 3 AND 3 THEN 6 WHEN r BETWEEN 3 AND 3 AND f BETWEEN 1 AND 2 THEN 7 WHEN r BETWEEN 1 AND 2 AND f BETWEEN 3 AND 4 THEN 8 WHEN r BETWEEN 1 AND 2 AND f BETWEEN 5 AND 5 THEN 9 WHEN r BETWEEN 2 AND 2 AND f BETWEEN 1 AND 2 THEN 10 WHEN r BETWEEN 1 AND 1 AND f BETWEEN 1 AND 2 THEN 11 ELSE NULL END AS tier_rank, CAST(r * 100 + f * 10 + m AS DOUBLE PRECISION) AS score, CAST(NULL AS INTEGER) AS rule_no, CAST(NULL AS VARCHAR) AS flags FROM rfm_scores) SELECT g.entity_id, g.tier_rank, g.score, g.rule_no, g.flags, COALESCE("f_4", 0) AS revenue
  FROM g JOIN st ON st.entity_id = g.entity_id;
-- params: [1,"2026-01-01"]
