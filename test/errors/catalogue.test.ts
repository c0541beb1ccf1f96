import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { errorsDoc } from "../../scripts/errors-doc.js";
import {
  ERROR_CODES,
  EXPRESSION_CODES,
  formatMessage,
  InternalError,
  MESSAGE_TEXTS,
  MESSAGES,
  messageText,
  POLICY_CODES,
  REJECT_CODES,
  TierwiseError,
} from "../../src/errors/index.js";
import { fillTemplate } from "../../src/errors/template.js";
import { PolicyProblem } from "../../src/policy/codes.js";
import { ExpressionError } from "../../src/policy/expression/codes.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : path.endsWith(ext) ? [path] : [];
  });
}

const FAMILIES = [REJECT_CODES, ERROR_CODES, POLICY_CODES, EXPRESSION_CODES];
const CODES = FAMILIES.flatMap((family) => Object.keys(family));
const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "");

describe("the error catalogue", () => {
  it("is one set of codes: no code is in two families, and MESSAGES holds each family's codes", () => {
    expect(new Set(CODES).size).toBe(CODES.length);
    expect(Object.keys(MESSAGES).sort()).toEqual([...CODES].sort());
  });

  it("has no code that src/ never raises (a code is raised where src/ names it in quotes)", () => {
    const source = files(join(ROOT, "src"), ".ts")
      .filter((f) => !/^src\/errors\/[a-z-]*codes\.ts$/.test(relative(ROOT, f)))
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    expect(CODES.filter((code) => !new RegExp(`["'\`]${code}["'\`]`).test(source))).toEqual([]);
  });

  it("fills every placeholder of every template, and a missing value is an InternalError, never `{name}` printed", () => {
    for (const [code, template] of Object.entries(MESSAGES)) {
      const names = placeholders(template);
      const params = Object.fromEntries(names.map((n) => [n, `<${n}>`]));
      const message = fillTemplate(template, params);
      expect(message, code).not.toMatch(/\{\w+\}/);
      for (const n of names) expect(message, code).toContain(`<${n}>`);
      for (const n of names) {
        const { [n]: _left, ...missing } = params;
        expect(() => fillTemplate(template, missing), `${code} without ${n}`).toThrow(InternalError);
      }
    }
  });

  it("types the parameters: a misspelt or missing placeholder does not compile", () => {
    const build = () => [
      // @ts-expect-error feild is not a placeholder of NOT_A_NUMBER
      formatMessage("NOT_A_NUMBER", { feild: "amount" }),
      // @ts-expect-error NOT_A_DIRECTORY needs {dir}
      new TierwiseError("NOT_A_DIRECTORY", {}),
      // @ts-expect-error NO_RUNS has no placeholders
      new TierwiseError("NO_RUNS", { run: 3 }),
    ];
    expect(build).toThrow(InternalError);
    expect(formatMessage("NOT_A_NUMBER", { field: "amount" })).toBe("amount is not a number");
    expect(new TierwiseError("NOT_A_DIRECTORY", { dir: "in" }).oneLine()).toBe(
      "NOT_A_DIRECTORY: in is not a directory",
    );
  });
});

describe("the message catalogue", () => {
  const ids = Object.keys(MESSAGE_TEXTS);
  const entries = Object.entries(MESSAGE_TEXTS);
  /** src/ outside the catalogue itself. */
  const source = () =>
    files(join(ROOT, "src"), ".ts")
      .filter((f) => !relative(ROOT, f).startsWith("src/errors/"))
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");

  it("has no message id that src/ never raises (outside src/errors, named in quotes)", () => {
    const text = source();
    expect(ids.filter((id) => !text.includes(`"${id}"`))).toEqual([]);
  });

  it("reports each message under a code of the catalogue whose own template is {detail}", () => {
    for (const [id, { code }] of entries) {
      expect(CODES, id).toContain(code);
      expect(MESSAGES[code as keyof typeof MESSAGES], id).toBe("{detail}");
    }
  });

  it("gives every {detail} code at least one message, so no call site writes its text", () => {
    const worded = new Set(entries.map(([, m]) => m.code));
    const detailOnly = Object.entries(MESSAGES)
      .filter(([, t]) => t === "{detail}")
      .map(([c]) => c);
    expect(detailOnly.filter((c) => !worded.has(c as never))).toEqual([]);
  });

  it("has no two messages of one code with the same template", () => {
    const keys = entries.map(([, m]) => `${m.code} ${m.text}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it("fills every placeholder of every message, and a missing value is an InternalError", () => {
    for (const [id, { text }] of entries) {
      const names = placeholders(text);
      const params = Object.fromEntries(names.map((n) => [n, `<${n}>`]));
      const message = fillTemplate(text, params);
      expect(message, id).not.toMatch(/\{\w+\}/);
      for (const n of names) expect(message, id).toContain(`<${n}>`);
      for (const n of names) {
        const { [n]: _left, ...missing } = params;
        expect(() => fillTemplate(text, missing), `${id} without ${n}`).toThrow(InternalError);
      }
    }
  });

  it("types each message's parameters, and the carriers report the message's code and text", () => {
    const build = () => [
      // @ts-expect-error tabel is not a placeholder of mapping.unknown-table
      TierwiseError.of("mapping.unknown-table", { tabel: "ordrs" }),
      // @ts-expect-error expr.unknown-column needs {table} and {column}
      new ExpressionError("expr.unknown-column", { table: "orders" }, { offset: 0, line: 1, column: 1 }),
      // @ts-expect-error policy.version has no placeholders
      new PolicyProblem("policy.version", { version: 2 }, { file: "p.yaml" }),
    ];
    expect(build).toThrow(InternalError);
    expect(messageText("expr.unknown-column", { table: "orders", column: "amout" })).toBe("orders has no column amout");
    const option = TierwiseError.of("option.whole-number", { option: "--days", max: 3660, value: 0 });
    expect(option.oneLine()).toBe("INVALID_OPTION: --days takes a whole number from 1 to 3660, got 0");
    const problem = new PolicyProblem("policy.unknown-key", { key: "tiers2", where: "schemes.0" }, { file: "p.yaml" });
    expect([problem.code, problem.message]).toEqual(["POLICY_SHAPE", "unknown key `tiers2` in schemes.0"]);
    const expression = new ExpressionError("expr.too-deep", { max: 200 }, { offset: 0, line: 2, column: 5 });
    expect([expression.code, expression.message]).toEqual([
      "EXPR_TOO_DEEP",
      "2:5 the expression nests deeper than 200 levels",
    ]);
  });
});

describe("the documented codes", () => {
  const docs = [join(ROOT, "README.md"), ...files(join(ROOT, "docs"), ".md")];
  const text = docs.map((f) => readFileSync(f, "utf8")).join("\n");
  /** Upper-case names in backticks that are not codes: environment variables and SQL placeholders in docs. */
  const NOT_CODES = /^(TIERWISE_|PG|KIND_SQL$|FORMULA_STARTS$)/;

  it("docs/errors.md is the catalogue (run `npm run docs`)", () => {
    expect(readFileSync(join(ROOT, "docs/errors.md"), "utf8")).toBe(errorsDoc());
  });

  it("every code named in the docs is in the catalogue", () => {
    const named = new Set([...text.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`/g)].map((m) => m[1] ?? ""));
    expect([...named].filter((name) => !NOT_CODES.test(name) && !CODES.includes(name))).toEqual([]);
  });

  it("every code of the catalogue is documented", () => {
    expect(CODES.filter((code) => !new RegExp(`\`${code}\``).test(text))).toEqual([]);
  });

  it("docs/errors.md lists every message under its code", () => {
    const doc = readFileSync(join(ROOT, "docs/errors.md"), "utf8");
    for (const [id, { code, text: template }] of Object.entries(MESSAGE_TEXTS)) {
      const section = doc.split(`### \`${code}\`\n`)[1]?.split("\n#")[0] ?? "";
      expect(section, id).toContain(`- \`\` ${template} \`\``);
    }
  });
});
