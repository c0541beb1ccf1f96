/**
 * Hostile policy text, as data: each case puts one text into one place of a
 * small rules policy (or is a whole file) and says what must happen: either
 * checkPolicy reports a coded problem at an exact line and column, or the
 * policy runs and the text arrives unchanged. Engine-neutral: the suite in
 * hostile-suite.ts runs it on any store.
 */
import type { Fixture, FixtureRow } from "../run/support.js";

/** Where the case's text goes. `file` is a whole policy file. */
export type Slot =
  | "scheme"
  | "tier"
  | "rule-id"
  | "reason"
  | "otherwise"
  | "description"
  | "literal"
  | "expression"
  | "file";

/** `accepted`, or the first problem checkPolicy reports (line and column omitted where the parser's stack decides). */
export type Expected = "accepted" | { readonly code: string; readonly line?: number; readonly column?: number };

export interface HostileCase {
  readonly label: string;
  readonly slot: Slot;
  readonly text: string;
  readonly expect: Expected;
  /** `expression` cases that run: the customers expected in the top tier (default: those with spend >= 100). */
  readonly top?: readonly string[];
}

/** Customers with spend >= 100 in 12 months: the default condition's top tier. */
export const BIG_SPENDERS = ["'; drop table orders --", "big"] as const;

const q = (s: string) => JSON.stringify(s);
/** An expression-language text literal: single quotes, a quote doubled. */
export const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * The policy of a case. Line numbers (1-based) of the slots:
 *  3 scheme name (value at column 11), 5 description (18), 7 top tier name (15),
 *  9 rule id (17), 10 reason (21), 11 condition (19), 12 other tier name (15),
 *  13 otherwise (20). Every value is a double-quoted YAML scalar.
 */
export function hostilePolicy(c: HostileCase): string {
  if (c.slot === "file") return c.text;
  const v = (slot: Slot, fallback: string) => q(c.slot === slot ? c.text : fallback);
  const when = c.slot === "literal" ? `region = ${literal(c.text)}` : c.slot === "expression" ? c.text : DEFAULT_WHEN;
  return [
    "version: 1",
    "schemes:",
    `  - name: ${v("scheme", DEFAULT_SCHEME)}`,
    "    kind: rules",
    `    description: ${v("description", "hostile corpus")}`,
    "    tiers:",
    `      - name: ${v("tier", "Top")}`,
    "        rules:",
    `          - id: ${v("rule-id", "top")}`,
    `            reason: ${v("reason", "big spender")}`,
    `            when: ${q(when)}`,
    `      - name: ${q("Rest")}`,
    `        otherwise: ${v("otherwise", "everyone else")}`,
    "",
  ].join("\n");
}

export const DEFAULT_SCHEME = "hostile";
export const DEFAULT_WHEN = "spend(12 months) >= 100";

const SQL = "'; drop table orders --";
const at = (code: string, line?: number, column?: number): Expected => ({
  code,
  ...(line === undefined ? {} : { line }),
  ...(column === undefined ? {} : { column }),
});
/** A thresholds scheme whose lifecycle block holds `line` (line 8, at column 7). */
const LIFECYCLE = (line: string) =>
  `version: 1\nschemes:\n  - name: s\n    kind: thresholds\n    metric: spend(12 months)\n    tiers: [{ name: A, min: 1 }, { name: B }]\n    lifecycle:\n      ${line}\n`;
/** A thresholds (or other `kind`) scheme whose notices block holds `line` (line 8, at column 7). */
const NOTICES = (line: string, kind = "thresholds") =>
  `version: 1\nschemes:\n  - name: s\n    kind: ${kind}\n    metric: spend(12 months)\n    tiers: [{ name: A, ${kind === "thresholds" ? "min: 1" : "top: 10"} }, { name: B }]\n    notices:\n      ${line}\n`;
const long = (n: number) => "ж".repeat(n);

const laughs = [
  "version: 1",
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
  "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
  "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
  "schemes: [*e]",
  "",
].join("\n");

/** Names that are legitimate text: accepted as scheme and as tier names, and stored unchanged. */
const GOOD_NAMES: readonly [string, string][] = [
  ["SQL comment injection", SQL],
  ["closing a call", "Robert'); DROP TABLE customers;--"],
  ["double and single quotes", `"VIP" and 'Gold'`],
  ["backslashes", "C:\\temp\\new \\' \\\\"],
  ["placeholders", "$1 ? %s :name @p {0}"],
  ["block comment", "/* x */ -- y"],
  ["Chinese", "黄金客户"],
  ["Indonesian", "Tingkat Tiga"],
  ["Hungarian", "Első szint"],
  ["emoji (astral plane)", "💎 Diamond"],
  ["right-to-left", "عميل ذهبي"],
  ["decomposed accent, not normalised", "Cafe\u0301"],
  ["zero-width space inside", "V\u200bIP"],
  ["zero-width non-joiner (Persian)", "مشتری\u200cها"],
  ["emoji joined by zero-width joiners", "\u{1F468}\u200d\u{1F469}\u200d\u{1F467} Family"],
  ["line separator inside", "a\u2028b"],
  ["200 characters", long(200)],
];

/** Names that are not: control characters, outer spaces, unpaired surrogates, too long, empty. */
const BAD_NAMES: readonly [string, string][] = [
  ["newline", "line\nbreak"],
  ["carriage return", "a\rb"],
  ["tab", "a\tb"],
  ["NUL", "a\u0000b"],
  ["escape character", "\u001b[31mred"],
  ["outer space", " VIP"],
  ["byte order mark in front", "\ufeffVIP"],
  ["unpaired surrogate", "a\ud800b"],
  ["zero-width space at the end", "Gold\u200b"],
  ["no-break space at the end", "Gold\u00a0"],
  ["word joiner in front", "\u2060Gold"],
  ["right-to-left override inside", "Gold\u202eVIP"],
  ["first-strong isolate inside", "a\u2068b"],
  ["201 characters", long(201)],
  ["10,000 characters", long(10_000)],
  ["empty", ""],
];

/** Text literals in a condition: all legitimate, each must match exactly one customer's region. */
export const LITERALS: readonly [string, string][] = [
  ["SQL comment injection", SQL],
  ["already doubled quotes", "it''s"],
  ["backslashes", "back\\slash\\'"],
  ["newline and tab", "two\nlines\tand a tab"],
  ["LIKE wildcards", "%_*"],
  ["placeholder", "$1"],
  ["unicode and quote", "黄金'; --"],
  ["10,000 characters", long(10_000)],
];

const DOUBLE_QUOTES_HINT = 19; // a scalar with escapes is located at its start

export const HOSTILE_CASES: readonly HostileCase[] = [
  ...GOOD_NAMES.map(
    ([label, text]): HostileCase => ({ label: `scheme name: ${label}`, slot: "scheme", text, expect: "accepted" }),
  ),
  ...GOOD_NAMES.map(
    ([label, text]): HostileCase => ({ label: `tier name: ${label}`, slot: "tier", text, expect: "accepted" }),
  ),
  ...BAD_NAMES.map(
    ([label, text]): HostileCase => ({
      label: `scheme name: ${label}`,
      slot: "scheme",
      text,
      expect: at("POLICY_SHAPE", 3, 11),
    }),
  ),
  ...BAD_NAMES.map(
    ([label, text]): HostileCase => ({
      label: `tier name: ${label}`,
      slot: "tier",
      text,
      expect: at("POLICY_SHAPE", 7, 15),
    }),
  ),
  { label: "rule id: SQL", slot: "rule-id", text: SQL, expect: at("POLICY_SHAPE", 9, 17) },
  { label: "rule id: upper case", slot: "rule-id", text: "TOP", expect: at("POLICY_SHAPE", 9, 17) },
  { label: "reason: everything", slot: "reason", text: `${SQL}\n"q" \\ \u0000 黄金`, expect: "accepted" },
  { label: "reason: 10,000 characters", slot: "reason", text: long(10_000), expect: "accepted" },
  { label: "otherwise: everything", slot: "otherwise", text: `${SQL}\r\n'q' \\\\ \u0000`, expect: "accepted" },
  { label: "description: 10,000 characters", slot: "description", text: `${SQL} ${long(10_000)}`, expect: "accepted" },
  ...LITERALS.map(
    ([label, text]): HostileCase => ({ label: `literal: ${label}`, slot: "literal", text, expect: "accepted" }),
  ),
  {
    label: "literal: NUL",
    slot: "literal",
    text: "a\u0000b",
    expect: at("EXPR_SYNTAX", 11, DOUBLE_QUOTES_HINT),
  },
  // Conditions: the language has no statements, comments, raw SQL or foreign tables.
  {
    label: "statement after a condition",
    slot: "expression",
    text: "spend(12 months) >= 0; drop table orders",
    expect: at("EXPR_SYNTAX", 11, 41),
  },
  {
    label: "SQL line comment",
    slot: "expression",
    text: "region = 'x' -- comment",
    expect: at("EXPR_UNKNOWN_NAME", 11, 36),
  },
  {
    label: "double-quoted identifier",
    slot: "expression",
    text: 'region = "x"',
    // A double-quoted name (mapping source columns) is a name, never SQL: here an unknown one.
    expect: at("EXPR_UNKNOWN_NAME", 11, DOUBLE_QUOTES_HINT),
  },
  { label: "string concatenation", slot: "expression", text: "region = 'a' || 'b'", expect: at("EXPR_SYNTAX", 11, 33) },
  { label: "unclosed literal", slot: "expression", text: "region = 'abc", expect: at("EXPR_SYNTAX", 11, 29) },
  {
    label: "a column outside its row",
    slot: "expression",
    text: "orders.amount > 5",
    expect: at("EXPR_OUT_OF_SCOPE", 11, 20),
  },
  {
    label: "a store table",
    slot: "expression",
    text: "count(tw_runs, lifetime) > 0",
    expect: at("EXPR_UNKNOWN_TABLE", 11, 20),
  },
  {
    label: "an engine function",
    slot: "expression",
    text: "pg_sleep(10) > 0",
    expect: at("EXPR_UNKNOWN_FUNCTION", 11, 20),
  },
  {
    label: "a file reader",
    slot: "expression",
    text: "read_csv('/etc/passwd') is null",
    expect: at("EXPR_UNKNOWN_FUNCTION", 11, 20),
  },
  {
    label: "a huge number",
    slot: "expression",
    text: "spend(12 months) >= 1e999",
    expect: at("EXPR_BAD_LITERAL", 11, 40),
  },
  {
    label: "a date with SQL",
    slot: "expression",
    text: "as_of > date '2025-01-01; drop'",
    expect: at("EXPR_BAD_LITERAL", 11, 33),
  },
  { label: "empty condition", slot: "expression", text: "", expect: at("POLICY_SHAPE", 11, 19) },
  // Depth: refused with a code, never a stack overflow or an engine error.
  {
    label: "10,000 parentheses",
    slot: "expression",
    text: `${"(".repeat(10_000)}true${")".repeat(10_000)}`,
    expect: at("EXPR_TOO_DEEP", 11, 221),
  },
  {
    label: "10,000 nots",
    slot: "expression",
    text: `${"not ".repeat(10_000)}true`,
    expect: at("EXPR_TOO_DEEP", 11, 820),
  },
  {
    label: "a chain of 10,000 additions",
    slot: "expression",
    text: `orders(12 months)${" + 0".repeat(10_000)} >= 1`,
    expect: at("EXPR_TOO_DEEP", 11, 838),
  },
  {
    label: "a chain of 201 additions",
    slot: "expression",
    text: `orders(12 months)${" + 0".repeat(201)} >= 1`,
    expect: at("EXPR_TOO_DEEP", 11, 838),
  },
  // …and the deepest accepted forms run on the engine.
  {
    label: "a chain of 200 additions",
    slot: "expression",
    text: `orders(12 months)${" + 0".repeat(200)} >= 1`,
    expect: "accepted",
    top: ["'; drop table orders --", "big", "small"],
  },
  {
    label: "150 conditions joined by and",
    slot: "expression",
    text: Array.from({ length: 150 }, (_, i) => `spend(12 months) >= ${i % 100}`).join(" and "),
    expect: "accepted",
    top: ["'; drop table orders --", "big"],
  },
  {
    label: "97 parentheses around 97 nots",
    slot: "expression",
    text: `${"(".repeat(97)}${"not ".repeat(97)}(spend(12 months) < 100)${")".repeat(97)}`,
    expect: "accepted",
    top: [...BIG_SPENDERS],
  },
  {
    label: "an in list of 5,000 texts",
    slot: "expression",
    text: `region in (${Array.from({ length: 5000 }, (_, i) => literal(i === 4321 ? SQL : `r${i}`)).join(", ")})`,
    expect: "accepted",
    top: ["lit-0"],
  },
  // Whole files.
  { label: "file: billion laughs", slot: "file", text: laughs, expect: at("POLICY_YAML", 1, 1) },
  {
    label: "file: 5,000 nested flow sequences",
    slot: "file",
    text: `version: 1\nschemes: ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
    expect: at("POLICY_YAML"),
  },
  {
    label: "file: a binary tag for a name",
    slot: "file",
    text: "version: 1\nschemes:\n  - name: !!binary aGVsbG8=\n    kind: rules\n    tiers: [{ name: A, otherwise: x }]\n",
    expect: at("POLICY_SHAPE", 3, 20),
  },
  {
    label: "file: a merge key",
    slot: "file",
    text: "version: 1\nschemes:\n  - <<: { name: m }\n    kind: rules\n    tiers: [{ name: A, otherwise: x }]\n",
    expect: at("POLICY_SHAPE", 3, 5),
  },
  // Lifecycle options of the member programme (docs/policy.md, Lifecycle).
  {
    label: "file: downgrade_to not one of its words",
    slot: "file",
    text: LIFECYCLE('downgrade_to: "one tier"'),
    expect: at("POLICY_SHAPE", 8, 21),
  },
  {
    label: "file: downgrade_to with a bidi override",
    slot: "file",
    text: LIFECYCLE('downgrade_to: "one tier down\\u202e"'),
    expect: at("POLICY_SHAPE", 8, 21),
  },
  {
    label: "file: downgrade_to as a list",
    slot: "file",
    text: LIFECYCLE("downgrade_to: [one tier down]"),
    expect: at("POLICY_SHAPE", 8, 21),
  },
  {
    label: "file: downgrade_to misspelt",
    slot: "file",
    text: LIFECYCLE("downgrade_too: one tier down"),
    expect: at("POLICY_SHAPE", 8, 7),
  },
  {
    label: "file: anchor not one of its words",
    slot: "file",
    text: LIFECYCLE("anchor: birthday"),
    expect: at("POLICY_SHAPE", 8, 15),
  },
  {
    label: "file: anchor misspelt",
    slot: "file",
    text: LIFECYCLE("ancor: anniversary"),
    expect: at("POLICY_SHAPE", 8, 7),
  },
  {
    label: "file: upgrade_within 0",
    slot: "file",
    text: NOTICES("upgrade_within: 0"),
    expect: at("POLICY_SHAPE", 8, 23),
  },
  {
    label: "file: upgrade_within negative",
    slot: "file",
    text: NOTICES("upgrade_within: -5"),
    expect: at("POLICY_SHAPE", 8, 23),
  },
  {
    label: "file: upgrade_within 1e400",
    slot: "file",
    text: NOTICES("upgrade_within: 1e400"),
    expect: at("POLICY_SHAPE", 8, 23),
  },
  {
    label: "file: upgrade_within 0 %",
    slot: "file",
    text: NOTICES('upgrade_within: "0.000%"'),
    expect: at("POLICY_SHAPE", 8, 23),
  },
  {
    label: "file: upgrade_within over 100 %",
    slot: "file",
    text: NOTICES('upgrade_within: "150%"'),
    expect: at("POLICY_SHAPE", 8, 23),
  },
  {
    label: "file: upgrade_within with SQL",
    slot: "file",
    text: NOTICES(`upgrade_within: "10%'; drop table orders --"`),
    expect: at("POLICY_SHAPE", 8, 23),
  },
  {
    label: "file: upgrade_within on a quantiles scheme",
    slot: "file",
    text: NOTICES("upgrade_within: 10", "quantiles"),
    expect: at("POLICY_SHAPE", 8, 23),
  },
  {
    label: "file: downgrade_pending without a lifecycle",
    slot: "file",
    text: NOTICES("downgrade_pending: true"),
    expect: at("POLICY_SHAPE", 8, 26),
  },
  {
    label: "file: downgrade_pending as text",
    slot: "file",
    text: NOTICES('downgrade_pending: "yes"'),
    expect: at("POLICY_SHAPE", 8, 26),
  },
  {
    label: "file: notices misspelt",
    slot: "file",
    text: NOTICES("upgrade_witin: 10"),
    expect: at("POLICY_SHAPE", 8, 7),
  },
];

const order = (id: string, customer: string, amount: number): FixtureRow => ({
  order_id: id,
  customer_id: customer,
  ordered_at: "2025-06-01 10:00:00",
  amount,
  status: "completed",
});

/** Customer id of the literal case `i` of LITERALS: its region is that literal. */
export const literalCustomer = (i: number) => `lit-${i}`;
/** Customer id holding a fixed override to tier-name case `i`'s name. */
export const overrideCustomer = (i: number) => `ov-${i}`;

/**
 * The store every case runs on: two big spenders (one with a hostile id),
 * a small one, one customer per literal whose region is that literal, and
 * one customer per good tier name with a fixed override to that name.
 */
export function hostileFixture(): Fixture {
  return {
    customers: [
      { customer_id: SQL, name: SQL },
      { customer_id: "big", region: "north" },
      { customer_id: "small", region: "south" },
      ...LITERALS.map(([, text], i) => ({ customer_id: literalCustomer(i), region: text })),
      ...GOOD_NAMES.map((_, i) => ({ customer_id: overrideCustomer(i) })),
    ],
    orders: [order("o1", SQL, 1000), order("o2", "big", 500), order("o3", "small", 50)],
    tw_overrides: GOOD_NAMES.map(([, text], i) => ({
      override_id: i + 1,
      scheme: DEFAULT_SCHEME,
      entity_id: overrideCustomer(i),
      tier: text,
      mode: "fixed",
      reason: SQL,
    })),
  };
}

/** The index in GOOD_NAMES of a tier-name text, for its override customer. */
export function goodNameIndex(text: string): number {
  return GOOD_NAMES.findIndex(([, t]) => t === text);
}

/** The index in LITERALS of a literal text, for its customer. */
export function literalIndex(text: string): number {
  return LITERALS.findIndex(([, t]) => t === text);
}
