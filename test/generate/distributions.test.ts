import { describe, expect, it } from "vitest";
import { sql } from "../../src/sql/index.js";
import { AS_OF_TEXT, useGeneratedDataset } from "./dataset.js";

/** Completed orders per customer, with first and last order (ISO text). */
const BUYERS = sql`SELECT customer_id, count(*) AS n, min(ordered_at) AS first_at, max(ordered_at) AS last_at,
  sum(CAST(amount AS DECIMAL(18,2))) AS spend
FROM orders WHERE status = 'completed' GROUP BY customer_id`;

const YEAR_BEFORE_AS_OF = "2025-01-01T00:00:00Z";

describe("generated data has the advertised shape", () => {
  const dataset = useGeneratedDataset("shape", { customers: 4000, seed: 3 });

  it("mixes about 15% businesses with consumers, and about 8% never order", async () => {
    const [mix] = await dataset.current.rows<{ b2b: number; prospects: number }>(sql`SELECT
      avg((kind = 'b2b')::INTEGER) AS b2b,
      avg((customer_id NOT IN (SELECT customer_id FROM orders))::INTEGER) AS prospects
    FROM customers`);
    expect(mix?.b2b).toBeGreaterThan(0.1);
    expect(mix?.b2b).toBeLessThan(0.2);
    expect(mix?.prospects).toBeGreaterThan(0.05);
    expect(mix?.prospects).toBeLessThan(0.12);
  });

  it("spreads sign-ups over about five years and averages about ten orders per customer", async () => {
    const [spread] = await dataset.current.rows<{
      first: string;
      perCustomer: number;
    }>(sql`SELECT min(created_at) AS first,
      (SELECT count(*) FROM orders) / count(*) AS "perCustomer" FROM customers`);
    expect(spread?.first).toBeDefined();
    expect((spread?.first ?? "") < "2021-06-01").toBe(true);
    expect((spread?.first ?? "") >= "2020-12-31").toBe(true);
    expect(spread?.perCustomer).toBeGreaterThan(7);
    expect(spread?.perCustomer).toBeLessThan(13);
  });

  it("has one-time buyers, repeaters, lapsed customers and long-lived big spenders", async () => {
    const [kinds] = await dataset.current.rows<{ once: number; repeaters: number; lapsed: number; loyal: number }>(sql`
      WITH b AS (${BUYERS}) SELECT
        count(*) FILTER (WHERE n = 1) AS once,
        count(*) FILTER (WHERE n >= 5) AS repeaters,
        count(*) FILTER (WHERE n >= 3 AND last_at < ${YEAR_BEFORE_AS_OF}) AS lapsed,
        count(*) FILTER (WHERE n >= 20 AND first_at < '2023-01-01' AND last_at >= ${YEAR_BEFORE_AS_OF}) AS loyal
      FROM b`);
    expect(kinds?.once).toBeGreaterThan(200);
    expect(kinds?.repeaters).toBeGreaterThan(500);
    expect(kinds?.lapsed).toBeGreaterThan(100);
    expect(kinds?.loyal).toBeGreaterThan(20);
  });

  it("concentrates revenue: the top 20% of buyers hold well over half of completed spend", async () => {
    const share = await dataset.current.scalar(sql`WITH b AS (${BUYERS}),
      ranked AS (SELECT spend, row_number() OVER (ORDER BY spend DESC) AS rk, count(*) OVER () AS total FROM b)
      SELECT sum(spend) FILTER (WHERE rk <= total * 0.2) / sum(spend) FROM ranked`);
    expect(share).toBeGreaterThan(0.6);
    expect(share).toBeLessThan(0.95);
    const [size] = await dataset.current.rows<{ b2b: number; b2c: number }>(sql`SELECT
      median(CAST(amount AS DOUBLE)) FILTER (WHERE kind = 'b2b') AS b2b,
      median(CAST(amount AS DOUBLE)) FILTER (WHERE kind = 'b2c') AS b2c
      FROM orders JOIN customers USING (customer_id)`);
    expect(size?.b2b).toBeGreaterThan(3 * (size?.b2c ?? Number.POSITIVE_INFINITY));
  });

  it("mostly completes orders, with returns concentrated among return-prone customers", async () => {
    const [status] = await dataset.current.rows<{ completed: number; returned: number; cancelled: number }>(sql`SELECT
      avg((status = 'completed')::INTEGER) AS completed, avg((status = 'returned')::INTEGER) AS returned,
      avg((status = 'cancelled')::INTEGER) AS cancelled FROM orders`);
    expect(status?.completed).toBeGreaterThan(0.84);
    expect(status?.completed).toBeLessThan(0.92);
    expect(status?.returned).toBeGreaterThan(0.04);
    expect(status?.returned).toBeLessThan(0.1);
    expect(status?.cancelled).toBeGreaterThan(0.03);
    expect(status?.cancelled).toBeLessThan(0.07);
    const [prone] = await dataset.current.rows<{ prone: number; customers: number }>(sql`
      WITH r AS (SELECT customer_id, avg((status = 'returned')::INTEGER) AS rate FROM orders
                 GROUP BY customer_id HAVING count(*) >= 8)
      SELECT count(*) FILTER (WHERE rate >= 0.2) AS prone, count(*) AS customers FROM r`);
    // With a uniform 7% return rate almost nobody with 8+ orders would return a fifth of them.
    expect(prone?.prone).toBeGreaterThan(0.05 * (prone?.customers ?? 0));
  });

  it("has discount hunters next to customers who rarely get a discount, and uses every channel", async () => {
    const [discount] = await dataset.current.rows<{ low: number; hunters: number }>(sql`
      WITH d AS (SELECT customer_id, sum(CAST(discount AS DOUBLE)) / sum(CAST(amount AS DOUBLE) + CAST(discount AS DOUBLE)) AS share
                 FROM orders WHERE status = 'completed' GROUP BY customer_id)
      SELECT count(*) FILTER (WHERE share < 0.05) AS low, count(*) FILTER (WHERE share >= 0.2) AS hunters FROM d`);
    expect(discount?.low).toBeGreaterThan(5 * (discount?.hunters ?? 0));
    expect(discount?.hunters).toBeGreaterThan(50);
    const channels = await dataset.current.rows<{ channel: string }>(
      sql`SELECT DISTINCT channel FROM orders ORDER BY channel`,
    );
    expect(channels.map((c) => c.channel)).toEqual(["marketplace", "phone", "store", "web"]);
  });

  it("has complaint abusers with repeated unfounded complaints and compensation", async () => {
    const [abuse] = await dataset.current.rows<{
      abusers: number;
      recent: number;
      founded: number;
      unfounded: number;
    }>(sql`
      WITH u AS (SELECT customer_id, count(*) AS n, count(*) FILTER (WHERE "at" >= ${YEAR_BEFORE_AS_OF}) AS recent
                 FROM interactions WHERE kind = 'complaint' AND outcome = 'unfounded' GROUP BY customer_id)
      SELECT (SELECT count(*) FROM u WHERE n >= 2) AS abusers, (SELECT count(*) FROM u WHERE recent >= 2) AS recent,
        (SELECT count(*) FROM interactions WHERE kind = 'complaint' AND outcome = 'founded') AS founded,
        (SELECT count(*) FROM interactions WHERE kind = 'complaint' AND outcome = 'unfounded') AS unfounded`);
    expect(abuse?.abusers).toBeGreaterThan(5);
    expect(abuse?.recent).toBeGreaterThan(0);
    expect(abuse?.founded).toBeGreaterThan(abuse?.unfounded ?? Number.POSITIVE_INFINITY);
    const compensated = await dataset.current.scalar(sql`SELECT count(*) FROM interactions
      WHERE kind = 'compensation' AND CAST(value AS DECIMAL(18,2)) > 0`);
    expect(compensated).toBeGreaterThan(0);
  });

  it("has a few advocates who refer others, surveys for about 30%, and engaged prospects", async () => {
    const [shares] = await dataset.current.rows<{ referrers: number; surveyed: number; scores: number }>(sql`SELECT
      count(DISTINCT customer_id) FILTER (WHERE kind = 'referral') / (SELECT count(*) FROM customers) AS referrers,
      count(DISTINCT customer_id) FILTER (WHERE kind = 'survey') / (SELECT count(*) FROM customers) AS surveyed,
      count(DISTINCT score) AS scores FROM interactions`);
    expect(shares?.referrers).toBeGreaterThan(0.01);
    expect(shares?.referrers).toBeLessThan(0.04);
    expect(shares?.surveyed).toBeGreaterThan(0.2);
    expect(shares?.surveyed).toBeLessThan(0.4);
    expect(shares?.scores).toBe(5);
    const engaged = await dataset.current.scalar(sql`SELECT count(DISTINCT customer_id) FROM interactions
      WHERE kind IN ('visit', 'inquiry', 'signup') AND "at" >= ${YEAR_BEFORE_AS_OF}
        AND customer_id NOT IN (SELECT customer_id FROM orders)`);
    expect(engaged).toBeGreaterThan(20);
  });

  it("has punctual and chronically late payers and some open invoices", async () => {
    const [pay] = await dataset.current.rows<{ onTime: number; late: number; open: number; chronic: number }>(sql`
      WITH p AS (SELECT customer_id, avg((paid_at > due_at)::INTEGER) AS late_share FROM invoices
                 WHERE paid_at IS NOT NULL GROUP BY customer_id HAVING count(*) >= 4)
      SELECT (SELECT avg((paid_at <= due_at)::INTEGER) FROM invoices WHERE paid_at IS NOT NULL) AS "onTime",
        (SELECT count(*) FROM invoices WHERE paid_at > due_at) AS late,
        (SELECT count(*) FROM invoices WHERE paid_at IS NULL) AS open,
        (SELECT count(*) FROM p WHERE late_share > 0.5) AS chronic`);
    expect(pay?.onTime).toBeGreaterThan(0.75);
    expect(pay?.late).toBeGreaterThan(0);
    expect(pay?.open).toBeGreaterThan(0);
    expect(pay?.chronic).toBeGreaterThan(5);
  });

  it("has every lead situation: need × close-date bucket × status", async () => {
    const situations = await dataset.current.rows<{ need: string; bucket: string; status: string }>(sql`
      SELECT DISTINCT need, status, CASE
        WHEN expected_close_at IS NULL THEN 'none'
        WHEN expected_close_at < ${AS_OF_TEXT} THEN 'stale'
        WHEN CAST(expected_close_at AS TIMESTAMP) <= TIMESTAMP '2026-01-01' + INTERVAL 30 DAY THEN '30'
        WHEN CAST(expected_close_at AS TIMESTAMP) <= TIMESTAMP '2026-01-01' + INTERVAL 91 DAY THEN '91'
        WHEN CAST(expected_close_at AS TIMESTAMP) <= TIMESTAMP '2026-01-01' + INTERVAL 182 DAY THEN '182'
        ELSE 'later' END AS bucket
      FROM leads`);
    const seen = new Set(situations.map((s) => `${s.need}/${s.bucket}/${s.status}`));
    for (const need of ["clear", "latent", "none"])
      for (const bucket of ["stale", "30", "91", "182", "later", "none"])
        for (const status of ["open", "won", "lost"])
          expect(seen, `${need}/${bucket}/${status}`).toContain(`${need}/${bucket}/${status}`);
  });

  it("has every rep level and grade, owners for business customers, and ratings only for them", async () => {
    const reps = await dataset.current.rows<{ level: string; grade: string }>(
      sql`SELECT DISTINCT level, grade FROM reps ORDER BY 1, 2`,
    );
    expect(reps.map((r) => `${r.level}/${r.grade}`)).toEqual([
      "key-account/intermediate",
      "key-account/senior",
      "senior/intermediate",
      "senior/senior",
      "standard/intermediate",
      "standard/senior",
    ]);
    const [own] = await dataset.current.rows<{
      b2bOwned: number;
      b2cOwned: number;
      b2bRated: number;
      b2cRated: number;
    }>(sql`SELECT
      avg((owner_rep_id IS NOT NULL)::INTEGER) FILTER (WHERE kind = 'b2b') AS "b2bOwned",
      avg((owner_rep_id IS NOT NULL)::INTEGER) FILTER (WHERE kind = 'b2c') AS "b2cOwned",
      avg((prospects_rating IS NOT NULL)::INTEGER) FILTER (WHERE kind = 'b2b') AS "b2bRated",
      count(prospects_rating) FILTER (WHERE kind = 'b2c') AS "b2cRated"
      FROM customers`);
    expect(own?.b2bOwned).toBeGreaterThan(0.9);
    expect(own?.b2cOwned).toBeGreaterThan(0);
    expect(own?.b2cOwned).toBeLessThan(0.1);
    expect(own?.b2bRated).toBeGreaterThan(0.7);
    expect(own?.b2cRated).toBe(0);
    const ratings = await dataset.current.scalar(sql`SELECT count(DISTINCT prospects_rating) FROM customers`);
    expect(ratings).toBe(5);
  });

  it("lets customers expand into categories, including ones that opened during the period", async () => {
    const [expansion] = await dataset.current.rows<{ expanders: number; lateCategories: number }>(sql`
      WITH firsts AS (SELECT o.customer_id, l.category, min(o.ordered_at) AS first_at
                      FROM order_lines AS l JOIN orders AS o USING (order_id) GROUP BY ALL),
      per AS (SELECT customer_id, min(first_at) AS first_any FROM firsts GROUP BY customer_id)
      SELECT count(DISTINCT f.customer_id) FILTER (WHERE f.first_at >= ${YEAR_BEFORE_AS_OF} AND p.first_any < ${YEAR_BEFORE_AS_OF})
          AS expanders,
        (SELECT count(*) FROM (SELECT category FROM products GROUP BY category HAVING min(launched_at) > '2022-01-01'))
          AS "lateCategories"
      FROM firsts AS f JOIN per AS p USING (customer_id)`);
    expect(expansion?.expanders).toBeGreaterThan(100);
    expect(expansion?.lateCategories).toBeGreaterThanOrEqual(2);
    const preexisting = await dataset.current.scalar(
      sql`SELECT count(*) FROM products WHERE launched_at < '2021-01-01'`,
    );
    expect(preexisting).toBeGreaterThan(500);
  });
});
