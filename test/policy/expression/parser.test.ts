import { describe, expect, it } from "vitest";
import { parseExpression } from "../../../src/policy/expression/parser.js";
import { printExpression } from "../../../src/policy/expression/print.js";
import { sx } from "./support.js";

const tree = (source: string) => sx(parseExpression(source));

describe("expression parser: precedence and associativity", () => {
  it.each([
    ["a + b * c", "(+ a (* b c))"],
    ["a * b + c", "(+ (* a b) c)"],
    ["a - b - c", "(- (- a b) c)"],
    ["a / b / c", "(/ (/ a b) c)"],
    ["a - (b - c)", "(- a (- b c))"],
    ["-a * b", "(* (neg a) b)"],
    ["- -a", "(neg (neg a))"],
    ["a + b > c * 2", "(> (+ a b) (* c 2))"],
    ["a or b and c", "(or a (and b c))"],
    ["a and b or c", "(or (and a b) c)"],
    ["a or b or c", "(or (or a b) c)"],
    ["not a and b", "(and (not a) b)"],
    ["not a = b", "(not (= a b))"],
    ["not not a", "(not (not a))"],
    ["a = 1 or b <> 2 and c >= 3", "(or (= a 1) (and (<> b 2) (>= c 3)))"],
    ["x between 1 and 2 and y", "(and (between x 1 2) y)"],
    ["x between a + 1 and b * 2", "(between x (+ a 1) (* b 2))"],
    ["x in (1, 2) or y is null", "(or (in x [1 2]) (null? y))"],
    ["(a or b) and c", "(and (or a b) c)"],
  ])("%s", (source, expected) => {
    expect(tree(source)).toBe(expected);
  });
});

describe("expression parser: constructs", () => {
  it.each([
    ["42", "42"],
    ["3.25", "3.25"],
    ["1e3", "1000"],
    ["'it''s'", "'it's'"],
    ["TRUE", "true"],
    ["false", "false"],
    ["date '2024-02-29'", "date:2024-02-29"],
    ["12 months", "12month"],
    ["1 Day", "1day"],
    ["2 weeks + 1 year", "(+ 2week 1year)"],
    ["spend", "spend"],
    ["orders.amount", "orders.amount"],
    ["a != b", "(<> a b)"],
    ["a <= b", "(<= a b)"],
    ["a < b", "(< a b)"],
    ["a > b", "(> a b)"],
    ["a not between 1 and 2", "(not-between a 1 2)"],
    ["kind in ('b2b')", "(in kind ['b2b'])"],
    ["kind not in ('a', 'b')", "(not-in kind ['a' 'b'])"],
    ["x is not null", "(not-null? x)"],
    ["x IS NULL", "(null? x)"],
    ["round(spend / 3, 2)", "(round (/ spend 3) 2)"],
    ["ABS(x)", "(abs x)"],
    ["greatest(a, b, c)", "(greatest a b c)"],
    ["days_between(first_order, date '2025-01-01')", "(days_between first_order date:2025-01-01)"],
    ["sum(orders.amount, 12 months, status = 'completed')", "(sum orders.amount 12month (= status 'completed'))"],
    ["count(orders, lifetime)", "(count orders lifetime)"],
    ["max(orders.ordered_at, 2 years)", "(max orders.ordered_at 2year)"],
    [
      "avg(orders.amount, 90 days, amount > 0 and channel = 'web')",
      "(avg orders.amount 90day (and (> amount 0) (= channel 'web')))",
    ],
    ["date + 1", "(+ date 1)"],
    ["x\n  and\n  y", "(and x y)"],
    ['"Invoice Date" is null', "(null? Invoice Date)"],
    ['"and" = "say ""hi"""', '(= and say "hi")'],
    ["InvoiceNo like 'C%'", "(like InvoiceNo 'C%')"],
    ["a not like 'y' and b", "(and (not-like a 'y') b)"],
    ["starts_with(InvoiceNo, 'C')", "(starts_with InvoiceNo 'C')"],
    ["case when a > 1 then 'x' when b then 'y' else 'z' end", "(case (> a 1) 'x' b 'y' else 'z')"],
    ["CASE WHEN a THEN 1 END + 2", "(+ (case a 1) 2)"],
  ])("%s", (source, expected) => {
    expect(tree(source)).toBe(expected);
  });

  it("records where each node starts and ends", () => {
    const e = parseExpression("spend > 5\n  and kind = 'b2b'");
    expect(e.kind).toBe("logical");
    if (e.kind !== "logical") return;
    expect(e.span).toEqual({ offset: 0, end: 28, line: 1, column: 1 });
    expect(e.right.span).toEqual({ offset: 16, end: 28, line: 2, column: 7 });
    if (e.right.kind !== "compare") throw new Error("expected a comparison");
    expect(e.right.right.span).toEqual({ offset: 23, end: 28, line: 2, column: 14 });
  });

  it("prints canonical text with only the parentheses it needs", () => {
    const printed = printExpression(
      parseExpression("((A+b))*2 >=x AND NOT (a OR b) and - -3 = -(4-5) - (1 - (2 - 3))"),
    );
    expect(printed).toBe("(A + b) * 2 >= x and not (a or b) and - -3 = -(4 - 5) - (1 - (2 - 3))");
    expect(printExpression(parseExpression("sum(orders.amount,1 MONTH,x='a''b')"))).toBe(
      "sum(orders.amount, 1 month, x = 'a''b')",
    );
    expect(printExpression(parseExpression("(a = b) = c"))).toBe("(a = b) = c");
    expect(printExpression(parseExpression("(not a) = b"))).toBe("(not a) = b");
    expect(printExpression(parseExpression("CASE WHEN \"Invoice No\" NOT LIKE 'C%' THEN a*b ELSE 0 END"))).toBe(
      "case when \"Invoice No\" not like 'C%' then a * b else 0 end",
    );
  });
});
