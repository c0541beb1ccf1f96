import { type SqlFragment, sql } from "../fragment.js";
import { idText, instant, type OutputFormat } from "./output.js";
import { DAY, type GenParams, YEAR } from "./params.js";
import { exponential, gamma, normal, pick, rowKey, uniform } from "./random.js";
import { repId } from "./reps.js";

/** Word lists a customer's name, e-mail, region and segment are drawn from. */
export interface CustomerWords {
  readonly firstNames: readonly string[];
  readonly lastNames: readonly string[];
  readonly companySuffixes: readonly string[];
  readonly mailDomains: readonly string[];
  readonly regions: readonly string[];
  readonly b2cSegments: readonly string[];
  /** Established categories a customer may prefer (the first n of the catalogue). */
  readonly establishedCategories: number;
}

/** Most orders a single customer can get (a guard against extreme draws). */
const MAX_ORDERS = 1500;

/**
 * Customers with their hidden buying behaviour (a Pareto/NBD story): each
 * buyer has a purchase rate drawn from a gamma distribution, a lifetime
 * drawn from an exponential with a gamma-distributed dropout rate, a
 * lognormal typical order value, and traits (discount hunter, return-prone,
 * complaint abuser, advocate, late payer) that later tables act out.
 *
 * The money is sized for the presets' default thresholds (value grades at
 * 20,000 / 50,000 / 100,000 of net spend a year): a consumer's typical order
 * is about 320, a business account's about 2,560, each scattered
 * lognormally, so a few accounts spend 100,000+ a year, more 50,000+, more
 * again 20,000+. On the 10,000-customer demo that is about 0.3% VIP, 0.8%
 * Gold, 1.6% Silver, 56% Regular, 41% Potential
 * (test/generate/presets-coverage.test.ts). Both typical values are 8 times
 * what they were before that sizing (one factor for both kinds), so every
 * share, the concentration of revenue and the CLV models' fit stay as they
 * were; only the amounts grew.
 *
 * Hidden columns: `first_sec` (first order), `end_sec` (silent dropout, or
 * the day before asOf), `n_orders`, `log_value`, `discount_type` (0 low,
 * 1 medium, 2 hunter), `return_prone`, `abuser`, `advocate`, `channel_pref`
 * (0 web, 1 store, 2 phone, 3 marketplace), `cat1`, `cat2`, `pay_type`
 * (0 punctual, 1 mostly on time, 2 chronically late), `satisfaction`,
 * `surveyed`, `visitor`. Draws use salts 100–199.
 */
export function createCustomersSql(p: GenParams, words: CustomerWords): SqlFragment {
  const rk = sql`rk`;
  const u = (salt: number) => uniform(rk, 100 + salt);
  const z = (salt: number) => normal(rk, 100 + salt);
  const span = p.asOfSec - p.startSec;
  return sql`CREATE OR REPLACE TEMP TABLE gen_customers AS
WITH rep_levels AS (
  SELECT list(rep_no ORDER BY rep_no) FILTER (WHERE level = 'standard') AS standard_reps,
         list(rep_no ORDER BY rep_no) FILTER (WHERE level = 'key-account') AS key_reps,
         list(rep_no ORDER BY rep_no) FILTER (WHERE level = 'senior') AS senior_reps
  FROM gen_reps
), keyed AS (
  SELECT i, ${rowKey(p.seed, sql`i`)} AS rk FROM range(1, ${p.customers}::BIGINT + 1) AS r(i)
), drawn AS (
  SELECT i AS cno,
    ${u(1)} < 0.15 AS b2b,
    ${p.asOfSec}::BIGINT - greatest(60, floor(${span}::BIGINT * pow(${u(2)}, 1.15)))::BIGINT AS created_sec,
    ${u(3)} < 0.065 AS prospect,
    ${u(4)} AS u_delay, ${exponential(rk, 105)} AS e_delay,
    ${gamma(rk, 106, 1.0, 1)} AS rate_draw,
    ${gamma(rk, 107, 0.9, 1)} AS dropout_draw,
    ${exponential(rk, 108)} AS e_life,
    ${z(9)} AS z_count,
    ${z(10)} AS z_value,
    ${u(11)} AS u_discount, ${u(12)} AS u_return, ${u(13)} AS u_abuser, ${u(14)} AS u_advocate,
    ${u(15)} AS u_channel, ${u(16)} AS u_cat1, ${u(17)} AS u_cat2, ${u(18)} AS u_pay,
    ${z(19)} AS z_satisfaction, ${u(20)} AS u_survey, ${u(21)} AS u_visitor,
    ${u(22)} AS u_owner, ${z(23)} AS z_level, ${u(24)} AS u_rep,
    ${u(25)} AS u_rating, ${z(26)} AS z_rating,
    ${pick(words.firstNames, u(27))} AS first_name, ${pick(words.lastNames, u(28))} AS last_name,
    ${pick(words.companySuffixes, u(29))} AS suffix, ${pick(words.mailDomains, u(30))} AS domain,
    ${u(31)} AS u_email, ${pick(words.regions, u(32))} AS region,
    ${u(33)} AS u_attributes, ${pick(words.b2cSegments, u(34))} AS b2c_segment
  FROM keyed
), timed AS (
  SELECT *,
    created_sec + CASE
      WHEN NOT b2b AND u_delay < 0.55 THEN floor(u_delay / 0.55 * 7200)::BIGINT
      WHEN NOT b2b THEN floor(e_delay * 20 * ${DAY}::BIGINT)::BIGINT
      ELSE ${DAY}::BIGINT + floor(e_delay * 35 * ${DAY}::BIGINT)::BIGINT END AS first_sec,
    CASE WHEN b2b THEN 7.5 ELSE 6.0 END * rate_draw AS rate_per_year,
    0.35 * dropout_draw AS dropout_per_year
  FROM drawn
), lived AS (
  SELECT *,
    NOT prospect AND first_sec < ${p.asOfSec}::BIGINT AS buyer,
    least(first_sec + CAST(least(e_life / dropout_per_year, 50.0) * ${YEAR}::BIGINT AS BIGINT),
          ${p.asOfSec}::BIGINT - 1) AS end_sec
  FROM timed
), counted AS (
  SELECT *,
    rate_per_year * greatest(end_sec - first_sec, 0) / ${YEAR}::DOUBLE AS expected_repeats
  FROM lived
)
SELECT cno, b2b, created_sec, first_sec, end_sec, region, first_name, last_name, suffix, domain, u_email,
  u_attributes, b2c_segment, z_value, rate_per_year,
  CASE WHEN buyer THEN 1 + least(greatest(floor(expected_repeats + sqrt(expected_repeats) * z_count + 0.5), 0),
                                  ${MAX_ORDERS - 1}::INTEGER)::INTEGER
       ELSE 0 END AS n_orders,
  CASE WHEN b2b THEN ln(2560.0) + 0.95 * z_value ELSE ln(320.0) + 0.85 * z_value END AS log_value,
  CASE WHEN u_advocate < 0.035 THEN 0 WHEN u_discount < 0.10 THEN 2 WHEN u_discount < 0.30 THEN 1 ELSE 0 END
    AS discount_type,
  u_return < 0.12 AS return_prone,
  u_abuser < 0.01 AS abuser,
  u_advocate < 0.035 AS advocate,
  CASE WHEN b2b THEN (CASE WHEN u_channel < 0.5 THEN 2 WHEN u_channel < 0.9 THEN 0 ELSE 1 END)
       ELSE (CASE WHEN u_channel < 0.5 THEN 0 WHEN u_channel < 0.75 THEN 1 WHEN u_channel < 0.95 THEN 3 ELSE 2 END)
  END AS channel_pref,
  least(floor(${words.establishedCategories}::INTEGER * pow(u_cat1, 1.4))::INTEGER,
        ${words.establishedCategories - 1}::INTEGER) AS cat1,
  least(floor(${words.establishedCategories}::INTEGER * u_cat2)::INTEGER, ${words.establishedCategories - 1}::INTEGER)
    AS cat2,
  CASE WHEN u_pay < 0.65 THEN 0 WHEN u_pay < 0.90 THEN 1 ELSE 2 END AS pay_type,
  z_satisfaction - CASE WHEN u_abuser < 0.01 THEN 1.5 ELSE 0 END - CASE WHEN u_return < 0.12 THEN 0.4 ELSE 0 END
    AS satisfaction,
  u_survey < 0.30 AS surveyed,
  u_visitor < 0.12 AS visitor,
  CASE WHEN (b2b AND u_owner < 0.95) OR (NOT b2b AND (u_owner < 0.03 OR z_value > 2.6)) THEN
    CASE WHEN z_value + 0.4 * z_level - (NOT b2b)::INTEGER > 2.3
           THEN list_extract(senior_reps, 1 + floor(u_rep * len(senior_reps))::INTEGER)
         WHEN z_value + 0.4 * z_level - (NOT b2b)::INTEGER > 1.5
           THEN list_extract(key_reps, 1 + floor(u_rep * len(key_reps))::INTEGER)
         ELSE list_extract(standard_reps, 1 + floor(u_rep * len(standard_reps))::INTEGER) END
  END AS owner_rep_no,
  CASE WHEN b2b AND u_rating < 0.85 THEN
    CAST(least(greatest(round(3 + 0.8 * z_value + 0.7 * z_rating), 1), 5) AS INTEGER) END AS prospects_rating
FROM counted CROSS JOIN rep_levels`;
}

/** Lower-case ASCII letters of a name, for e-mail addresses; `user` when none are left. */
function slug(name: SqlFragment): SqlFragment {
  return sql`coalesce(nullif(regexp_replace(lower(strip_accents(${name})), '[^a-z]', '', 'g'), ''), 'user')`;
}

/** The customers table as written, in customer-id order. */
export function selectCustomersSql(p: GenParams, format: OutputFormat): SqlFragment {
  return sql`SELECT ${customerId(p, sql`cno`)} AS customer_id,
  CASE WHEN b2b THEN last_name || ' ' || suffix ELSE first_name || ' ' || last_name END AS name,
  CASE WHEN u_email < 0.08 THEN NULL
       WHEN b2b THEN 'orders.' || ${slug(sql`last_name`)} || CAST(cno AS VARCHAR) || '@' || domain
       ELSE ${slug(sql`first_name`)} || '.' || ${slug(sql`last_name`)} || '.' || CAST(cno AS VARCHAR) || '@' || domain
  END AS email,
  CASE WHEN b2b THEN 'b2b' ELSE 'b2c' END AS kind,
  ${instant(sql`created_sec`, format)} AS created_at,
  region,
  CASE WHEN owner_rep_no IS NOT NULL THEN ${repId(p, sql`owner_rep_no`)} END AS owner_rep_id,
  prospects_rating,
  CASE WHEN u_attributes < 0.7 THEN CAST(json_object('segment',
    CASE WHEN NOT b2b THEN b2c_segment WHEN z_value > 1.2 THEN 'enterprise' WHEN z_value > 0 THEN 'mid-market'
         ELSE 'small-business' END) AS VARCHAR) END AS attributes
FROM gen_customers ORDER BY cno`;
}

/** The text id of customer number `n` (`C0000042`). */
export function customerId(p: GenParams, n: SqlFragment): SqlFragment {
  return idText("C", n, p.widths.customer);
}
