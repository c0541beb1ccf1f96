import { EXPRESSION_CODES, type ExpressionCode } from "./expression-codes.js";
import { POLICY_CODES, type PolicyCode } from "./policy-codes.js";
import { fillTemplate, type Placeholders, type TemplateParams } from "./template.js";

/**
 * The catalogue of every coded problem Tierwise reports: the one place that
 * defines codes, in four families (row rejects and command errors here,
 * policy and expression codes in policy-codes.ts and expression-codes.ts).
 * A code is stable: tests, rejects files and scripts rely on it. Each code
 * has one message template; its `{name}` placeholders are the parameters a
 * call site must give (`MessageParams`, checked by the compiler). Messages
 * are written for the person who must fix the input and never contain
 * customer data.
 */

/** Problems with one row of input data; the row is rejected, the load goes on. */
export const REJECT_CODES = {
  MISSING_VALUE: "{field} is empty but required",
  NOT_A_NUMBER: "{field} is not a number",
  NOT_FINITE: "{field} is NaN or infinite, not an amount",
  NEGATIVE: "{field} must not be negative",
  OUT_OF_RANGE: "{field} is outside the allowed range {range}",
  NOT_AN_INTEGER: "{field} must be a whole number",
  INVALID_DATE: "{field} is not a date in an accepted format ({formats})",
  IMPOSSIBLE_DATE: "{field} is not a real calendar date or time (e.g. 30 February)",
  DATE_OUT_OF_RANGE: "{field} is before 1900 or after 2199",
  UNKNOWN_VALUE: "{field} is not one of {values}",
  INVALID_ID: "{field} is longer than 200 characters or contains a control or invisible character",
  INVALID_JSON: "{field} is not a JSON object",
  DUE_BEFORE_ISSUED: "due_at is before issued_at",
  SCORE_REQUIRED: "a survey needs a score from 1 to 5",
  DUPLICATE_KEY: "{field} repeats a key already seen at record {first} of this file; the first occurrence was kept",
  UNKNOWN_REFERENCE: "{field} matches no {target} in this load or the store",
  TOO_MANY_FIELDS: "the row has more fields than the header",
  MISSING_FIELDS: "the row has fewer fields than the header (truncated line?)",
  MALFORMED_QUOTES: "the row has a stray or unterminated quote",
  INVALID_ENCODING: "the row is not valid UTF-8 (for a Latin-1 file set encoding: latin-1 in the mapping)",
  LINE_TOO_LONG: "the row is longer than the reader's maximum line size",
  MALFORMED_ROW: "the row could not be parsed",
  MALFORMED_JSON: "the line is not valid JSON",
  NOT_A_JSON_OBJECT: "the line is JSON but not an object (an array, a string, a number or null)",
  DUPLICATE_JSON_KEY: "the line's object has the same key twice, so its value is ambiguous",
  NUL_CHARACTER: "the line holds a NUL character (\\u0000), which no text value can store",
} as const;

export type RejectCode = keyof typeof REJECT_CODES;

/** Problems that make a whole input unusable, or stop a command. */
export const ERROR_CODES = {
  NO_INPUT: "no input files for the canonical tables in {dir}",
  NOT_A_DIRECTORY: "{dir} is not a directory",
  AMBIGUOUS_INPUT: "{table} has more than one input file: {files}",
  EMPTY_FILE: "{file} is empty (no header line)",
  UNREADABLE_FILE: "{file} cannot be read as {format}: {detail}",
  FILE_DAMAGED: "{file} is a damaged gzip stream ({detail}); nothing was loaded",
  REJECTS_UNWRITABLE: "cannot write the rejects file {path}: {reason}; the store is unchanged",
  REJECTS_NOT_PLACED:
    "the ingest was committed, but its rejects file could not be moved into place at {path}: {reason}",
  MISSING_REQUIRED_COLUMN: "{file} has no column {column} (required for {table}){hint}",
  MISSING_REQUIRED_TABLE: "{table} is required but neither the input nor the store has any",
  MAPPING_INVALID: "{detail}",
  MAPPING_SOURCE_COLUMN_MISSING:
    "{file}: the mapping names column {source} for {column}, but the file has no such column",
  UNKNOWN_TIME_ZONE: "unknown time zone {zone}",
  DATE_FORMAT_UNSUPPORTED: "the date format {format} for {table}.{column} cannot be used: {detail}",
  STORE_UNREADABLE: "{path} cannot be read: {detail}",
  STORE_SERVED:
    "{path} is held by {holder}, which serves it at {url}: use its API ({url}/docs) or stop the server to use this command",
  STORE_BUSY: "{path} is in use by {holder}{waited}; try again when it has finished, or pass --wait 2m to wait longer",
  STORE_READ_ONLY:
    "{path} cannot be written ({reason}); this command writes to the store — commands that only read it (report, explain, export…) still work",
  STORE_NOT_TIERWISE: "{path} is not a Tierwise store: {detail}",
  STORE_SCHEMA_OLDER:
    "{path} has an older store layout (schema {found}, this Tierwise uses {known}); run a command that writes it first, such as `tierwise run`, to upgrade it",
  STORE_UNREACHABLE: "cannot reach the PostgreSQL server of {url}: {detail}",
  STORE_ACCESS_DENIED: "the PostgreSQL server of {url} refused the login: {detail}",
  DISK_FULL:
    "the disk holding {path} is full ({free}): the command stopped and the store keeps what it held before; free some space and run again",
  STORE_SCHEMA_NEWER: "{path} was written by a newer Tierwise (schema {found}, this one knows {known})",
  FILE_UNUSABLE: "cannot use {path}: {reason}",
  VALUE_OUT_OF_RANGE:
    "a value the policy computes is outside the range the engine holds ({detail}); use smaller factors or windows",
  INVALID_OPTION: "{detail}",
  NO_RUNS: "the store has no runs yet; run tierwise run first",
  RUN_NOT_FOUND: "there is no run {run} in the store",
  UNKNOWN_SCHEME: "scheme {scheme} is not in {where}",
  NO_RUN_AT: "scheme {scheme} has no run as of {date} or before",
  NO_EARLIER_RUN: "scheme {scheme} has no run before run {run} to compare with",
  EVENTS_UNDELIVERED:
    "{count} events stay undelivered to the policy's webhooks{circuits}; send them again with tierwise events deliver",
  RUN_EVENTS_DELIVERED:
    "run {run} has {count} events already delivered to webhooks (event ids {events}); deleting it would leave receivers holding changes of a run that no longer exists",
  UNKNOWN_TIER: "scheme {scheme} has no tier {tier}",
  UNKNOWN_ENTITY: "no {entity} with id {id} in the store",
  OVERRIDE_NOT_FOUND: "no active override {id}",
  RATING_NOT_FOUND: "no standing rating {id}",
  EXPORT_FORMAT: "cannot export to {path}: use .csv, .parquet or .json",
  BACKFILL_FAILED:
    "backfill stopped at as-of {date}: {detail} ({written} of {total} snapshots were written before it and are kept)",
  POLICY_VERSION_NOT_FOUND: "no run in the store used a policy whose hash starts with {hash}",
  POLICY_VERSION_AMBIGUOUS: "{count} recorded policy versions start with {hash}: {hashes}; give more characters",
  CLV_BAD_INPUT: "the {model} model cannot use this input: {detail}",
  CLV_NO_REPEAT_BUYERS:
    "the {model} model needs repeat buyers, but none of the {customers} customers bought again in the calibration period",
  CLV_DEGENERATE: "the data cannot support the {model} model: {reason}",
  CLV_NOT_CONVERGED: "fitting the {model} model did not converge from any of {starts} starts: {reason}",
  CLV_NO_ORDERS: "no customer has a completed order on or before {date}",
  CLV_NO_MODEL: "the store has no fitted {model} model; run tierwise clv fit first",
  CLV_BAD_PERIOD: "{detail}",
  CLV_NONPOSITIVE_SPEND:
    "customer {customer} has repeat purchases worth {value}{others}; Gamma-Gamma needs positive spend — exclude such customers with {fix}",
  CALIBRATION_IMPOSSIBLE: "cannot calibrate {scheme}: {reason}",
  NO_PLAYBOOKS:
    "{schemes} of run {run}: no playbooks, so no tier has actions (add `playbooks:` to the scheme: docs/policy.md, Playbooks)",
  NO_STORE: "no store at {path} — run `tierwise ingest DIR` or `tierwise demo` first",
  NO_CUSTOMERS: "the store {path} has no customers to grade — run `tierwise ingest DIR` or `tierwise demo` first",
  NOT_A_DEMO_STORE:
    "{path} holds a store that tierwise demo did not make; pass --force to replace it, or --db FILE for another file",
  KEY_NAME_TAKEN: "the store has an API key named {name} already; revoke it first or choose another name",
  KEY_NOT_FOUND: "the store has no API key named {name}",
  API_UNAUTHORIZED: "send a valid API key as Authorization: Bearer KEY (tierwise keys create makes one)",
  API_FORBIDDEN: "a key with the {role} role may not use {route}",
  API_INVALID_REQUEST: "{field}: {detail}",
  API_BODY_TOO_LARGE: "the request body is larger than the server accepts ({limit} bytes)",
  API_ROUTE_NOT_FOUND: "no such route; GET /openapi.json lists the routes",
  API_INTERNAL: "the server failed to answer; its log has the details under request id {request}",
  JOB_NOT_FOUND: "this server has no job {id} (jobs are kept in memory until the server stops; GET /jobs lists them)",
  API_RATE_LIMITED:
    "this key has made {limit} requests in the last minute, the most the server allows; retry in {seconds} s",
  API_JOB_FAILED: "the job failed unexpectedly; the server's log has the details under job id {job}",
  NO_ACTIVE_POLICY:
    "the store has no active policy yet: name a policy or presets, or activate one (POST /policies, tierwise policy activate)",
  API_FILE_TOO_LARGE: "{part}: the file is larger than the server accepts ({limit} bytes per file)",
  API_NO_REJECTS:
    "job {id} has no rejects file here: only an ingest that finished has one, and the server keeps those of its last {kept} ingests until it stops",
  INGEST_REFUSED: "the ingest changed nothing: {problems}",
  SECRET_KEY_INVALID: "{variable} must hold 32 random bytes in base64 (openssl rand -base64 32)",
  WEBHOOK_KEY_MISSING:
    "this server cannot keep webhook secrets: start tierwise serve with {variable} set (32 random bytes in base64, openssl rand -base64 32)",
  WEBHOOK_NOT_FOUND: "there is no webhook {id} (GET /webhooks lists them)",
  WEBHOOK_URL_TAKEN: "a webhook for this url is registered already as {id}; delete it first",
  EVENT_NOT_FOUND: "the outbox has no event {id}",
  EVENT_DELIVERED: "event {id} was delivered to webhook {webhook} already",
  EVENT_IN_FLIGHT: "event {id} is being sent to webhook {webhook} right now; see its deliveries shortly",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Policy and expression codes have several wordings each: the message
 * catalogue (messages.ts) holds them, and a carrier passes the filled
 * message as `{detail}`. POLICY_CODES and EXPRESSION_CODES say what each
 * code means.
 */
type CheckerMessages = { readonly [Code in PolicyCode | ExpressionCode]: "{detail}" };

const CHECKER_MESSAGES = Object.fromEntries(
  [...Object.keys(POLICY_CODES), ...Object.keys(EXPRESSION_CODES)].map((code) => [code, "{detail}"]),
) as CheckerMessages;

/** Every code of every family with its message template. */
export const MESSAGES = { ...REJECT_CODES, ...ERROR_CODES, ...CHECKER_MESSAGES } as const;

/** Any code Tierwise reports. */
export type Code = keyof typeof MESSAGES;

/** The parameters of a code's message: one per placeholder of its template. */
export type MessageParams<C extends Code> = TemplateParams<(typeof MESSAGES)[C]>;

/**
 * The parameters as a carrier holds them: for one code exactly its
 * placeholders; for any of several codes each placeholder any of them has,
 * possibly absent.
 */
export type MessageValues<C extends Code> = MessageParams<C> & {
  readonly [Name in Placeholders<(typeof MESSAGES)[C]>]?: string | number;
};

/** A code's message with its placeholders filled (throws InternalError when one has no value). */
export function formatMessage<C extends Code>(code: C, params: MessageParams<C>): string {
  return fillTemplate(MESSAGES[code], params);
}

export { EXPRESSION_CODES, type ExpressionCode, POLICY_CODES, type PolicyCode };
