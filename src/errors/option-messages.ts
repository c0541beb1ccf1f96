import type { ErrorCode } from "./codes.js";

/**
 * Every message of an option a command cannot use (`INVALID_OPTION`, and
 * `CLV_BAD_PERIOD` for the CLV periods), by message id, with its template.
 * An option given on the command line is named as written there (`--days`);
 * the options of tierwise generate as the library's option names (`asOf`).
 */
export const OPTION_MESSAGES = {
  // Dates, numbers and choices.
  "option.date": { code: "INVALID_OPTION", text: "{option} takes a date (YYYY-MM-DD), got {value}" },
  "option.every": { code: "INVALID_OPTION", text: "--every takes month, quarter or year, got {value}" },
  "option.from-not-before-to": { code: "INVALID_OPTION", text: "--from {from} is not before --to {to}" },
  "option.run-or-date": { code: "INVALID_OPTION", text: "{value} is neither a run id nor a date (YYYY-MM-DD)" },
  "option.whole-number": { code: "INVALID_OPTION", text: "{option} takes a whole number from 1 to {max}, got {value}" },
  "option.level": { code: "INVALID_OPTION", text: "--level takes product or category, got {value}" },
  "option.prospects": { code: "INVALID_OPTION", text: "--prospects must be a whole number from 1 to 5, got {value}" },
  "option.unknown-locale": { code: "INVALID_OPTION", text: "unknown locale {locale}" },
  // A scheme of leads where customers are needed.
  "option.leads-cross-sell": {
    code: "INVALID_OPTION",
    text: "scheme {scheme} grades leads; cross-selling is about customers",
  },
  "option.leads-report": {
    code: "INVALID_OPTION",
    text: "scheme {scheme} grades leads; the report needs a customer scheme",
  },
  "option.leads-churn": { code: "INVALID_OPTION", text: "scheme {scheme} grades leads; churn is about customers" },
  "option.leads-actions": {
    code: "INVALID_OPTION",
    text: "scheme {scheme} grades leads; action lists are for customers",
  },
  // Reps.
  "option.no-rep-level-scheme": {
    code: "INVALID_OPTION",
    text: "no scheme of the latest run has playbooks with rep_level (see docs/policy.md, Playbooks)",
  },
  "option.no-rep-level": {
    code: "INVALID_OPTION",
    text: "the playbooks of scheme {scheme} name no rep_level: no tier needs a rep",
  },
  // Calibration and what-if.
  "option.target-syntax": { code: "INVALID_OPTION", text: "{item} is not TIER=PERCENT (e.g. VIP=10%)" },
  "option.no-targets": { code: "INVALID_OPTION", text: "give at least one TIER=PERCENT" },
  "option.target-twice": { code: "INVALID_OPTION", text: "{tier} has two targets" },
  "option.policy-out-needs-text": {
    code: "INVALID_OPTION",
    text: "writing the calibrated policy needs the policy's text",
  },
  "option.current-paired-twice": { code: "INVALID_OPTION", text: "--scheme pairs the current {scheme} twice" },
  "option.proposed-paired-twice": { code: "INVALID_OPTION", text: "--scheme pairs the proposed {scheme} twice" },
  // Tests stop a run at a named step.
  "option.test-hook-step": { code: "INVALID_OPTION", text: "run stopped at {step} (test hook)" },
  "option.test-hook": { code: "INVALID_OPTION", text: "test hook" },
  // tierwise generate and shop-export.
  "generate.shop-export-format": {
    code: "INVALID_OPTION",
    text: "the shop export is a CSV file; format must be csv, got {format}",
  },
  "generate.as-of-format": { code: "INVALID_OPTION", text: "asOf must be a date written YYYY-MM-DD, got {value}" },
  "generate.as-of-not-real": { code: "INVALID_OPTION", text: "asOf {asOf} is not a real calendar date" },
  "generate.as-of-range": { code: "INVALID_OPTION", text: "asOf {asOf} must lie between 1910 and 2197" },
  "generate.customers": {
    code: "INVALID_OPTION",
    text: "customers must be a whole number from 1 to {max}, got {value}",
  },
  "generate.seed": { code: "INVALID_OPTION", text: "seed must be a whole number >= 0, got {value}" },
  "generate.format": { code: "INVALID_OPTION", text: "format must be csv or parquet, got {value}" },
  "generate.threads": { code: "INVALID_OPTION", text: "threads must be a whole number >= 1, got {value}" },
  "generate.out-dir-empty": { code: "INVALID_OPTION", text: "outDir must not be empty" },
  "generate.spend-needs-buying": {
    code: "INVALID_OPTION",
    text: "spend needs buying: a simulated spend model goes with a simulated buying model",
  },
  "generate.model-parameter": {
    code: "INVALID_OPTION",
    text: "{model} parameter {name} must be a number > 0 and ≤ 1e6, got {value}",
  },
  "generate.buying-model": { code: "INVALID_OPTION", text: "buying model must be bgnbd, got {value}" },
  "generate.buying-unit": { code: "INVALID_OPTION", text: "buying unit must be day or week, got {value}" },
  "generate.spend-model": { code: "INVALID_OPTION", text: "spend model must be gamma-gamma, got {value}" },
  "generate.unknown-parameter": {
    code: "INVALID_OPTION",
    text: "{spec}: unknown parameter {name} (expected {expected})",
  },
  "generate.parameter-no-value": { code: "INVALID_OPTION", text: "{spec}: parameter {name} has no value" },
  "generate.missing-parameters": { code: "INVALID_OPTION", text: "{spec}: missing {names}" },
  // The CLV periods (CLV_BAD_PERIOD).
  "clv.calibration-end": {
    code: "CLV_BAD_PERIOD",
    text: "the calibration end {value} is not a date like 1997-09-30",
  },
  "clv.holdout-end": { code: "CLV_BAD_PERIOD", text: "the holdout end {value} is not a date like 1998-06-30" },
  "clv.holdout-not-after": {
    code: "CLV_BAD_PERIOD",
    text: "the holdout must end after the calibration end {end} (got {holdout})",
  },
  "clv.no-later-orders": {
    code: "CLV_BAD_PERIOD",
    text: "the holdout must end after the calibration end {end} (no later orders)",
  },
} as const satisfies Readonly<Record<string, { readonly code: ErrorCode; readonly text: string }>>;
