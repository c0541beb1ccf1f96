import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TierwiseError } from "../../src/errors/index.js";
import { generateShopExport } from "../../src/generate/index.js";
import { runCli } from "../support/cli.js";
import { AS_OF, removeDir, tempDir } from "./dataset.js";
import { type ExportLine, readShopExport, SHOP_EXPORT_HEADER } from "./shop-export-file.js";

const DAY_MS = 86_400_000;
const AS_OF_MS = Date.parse(`${AS_OF}T00:00:00Z`);

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

describe("generate --style shop-export", () => {
  const dirs: string[] = [];
  const dir = async (label: string) => {
    const d = await tempDir(label);
    dirs.push(d);
    return d;
  };
  let out = "";
  let stdout = "";
  let lines: ExportLine[] = [];
  let header = "";

  beforeAll(async () => {
    out = await dir("shop");
    const run = await runCli([
      "generate",
      "--style",
      "shop-export",
      "--out",
      out,
      "--customers",
      "1500",
      "--seed",
      "7",
      "--as-of",
      AS_OF,
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    stdout = run.stdout;
    ({ header, lines } = await readShopExport(join(out, "online_retail.csv")));
  });

  afterAll(async () => {
    for (const d of dirs) await removeDir(d);
  });

  it("writes one file, online_retail.csv, with the public export's header, and says how to read it", async () => {
    expect(await readdir(out)).toEqual(["online_retail.csv"]);
    expect(header).toBe(SHOP_EXPORT_HEADER);
    // The command to read it names the mapping shipped with the package by a path that exists.
    const command = /^ {2}tierwise ingest (\S+) --mapping (\S+)$/m.exec(stdout);
    expect(command?.[2]).toMatch(/examples\/shop-export\.mapping\.yaml$/);
    expect(existsSync(command?.[2] ?? "")).toBe(true);
    const reported = /invoice lines\s+([\d,]+)/.exec(stdout)?.[1];
    expect(Number(reported?.replaceAll(",", ""))).toBe(lines.length);
    // about 30 lines per customer, as the benchmark's "1M customers ≈ 30M lines" assumes
    expect(lines.length / 1500).toBeGreaterThan(22);
    expect(lines.length / 1500).toBeLessThan(38);
    // Every line fits 80 columns but the command, which is kept whole so that it can be copied.
    for (const row of stdout.split("\n").filter((r) => !r.startsWith("  tierwise ingest ")))
      expect(row.length).toBeLessThanOrEqual(80);
  });

  it("writes InvoiceDate as US-style local time without zone or zero padding, before asOf", () => {
    for (const line of lines) {
      expect(line.invoiceDate).toMatch(/^([1-9]|1[0-2])\/([1-9]|[12]\d|3[01])\/20\d\d (1?\d|2[0-3]):[0-5]\d$/);
      expect(line.localMs).toBeLessThan(AS_OF_MS);
    }
    expect(lines.some((l) => /^\d\//.test(l.invoiceDate))).toBe(true); // single-digit months occur
    expect(lines.some((l) => / \d:/.test(l.invoiceDate))).toBe(true); // and single-digit hours
    // shop hours only: never in the hour a daylight-saving change skips or repeats
    expect(lines.every((l) => new Date(l.localMs).getUTCHours() >= 7)).toBe(true);
  });

  it("keeps every invoice's date, customer and country on all its lines", () => {
    for (const [invoice, group] of groupBy(lines, (l) => l.invoiceNo)) {
      const first = group[0] as ExportLine;
      for (const l of group) {
        expect([l.invoiceDate, l.customerId, l.country], invoice).toEqual([
          first.invoiceDate,
          first.customerId,
          first.country,
        ]);
      }
    }
  });

  it("writes credit notes as C-numbered invoices with negative quantities, and sales with positive ones", () => {
    for (const l of lines) {
      expect(l.quantity).not.toBe(0);
      expect(l.invoiceNo.startsWith("C"), `${l.invoiceNo} ${l.quantity}`).toBe(l.quantity < 0);
      expect(l.invoiceNo).toMatch(/^C?\d{6,}$/);
      expect(l.priceCents).toBeGreaterThan(0);
    }
    const credits = new Set(lines.filter((l) => l.quantity < 0).map((l) => l.invoiceNo));
    const invoices = new Set(lines.map((l) => l.invoiceNo));
    expect(credits.size / invoices.size).toBeGreaterThan(0.03);
    expect(credits.size / invoices.size).toBeLessThan(0.2);
  });

  it("refunds an earlier sale of the same customer: in full the same day, partly, and later", () => {
    const sales = groupBy(
      lines.filter((l) => l.quantity > 0 && l.customerId !== ""),
      (l) => l.customerId,
    );
    const kinds = { sameDayFull: 0, partial: 0, later: 0 };
    for (const [credit, group] of groupBy(
      lines.filter((l) => l.quantity < 0),
      (l) => l.invoiceNo,
    )) {
      const first = group[0] as ExportLine;
      expect(first.customerId, credit).not.toBe("");
      // the sale it refunds: the customer's latest earlier invoice holding every credited code at that price
      const candidates = groupBy(
        (sales.get(first.customerId) ?? []).filter((s) => s.localMs <= first.localMs),
        (s) => s.invoiceNo,
      );
      const refunded = [...candidates.values()]
        .filter((sale) =>
          group.every((c) =>
            sale.some((s) => s.stockCode === c.stockCode && s.priceCents === c.priceCents && s.quantity >= -c.quantity),
          ),
        )
        .sort((a, b) => (b[0] as ExportLine).localMs - (a[0] as ExportLine).localMs)[0];
      expect(refunded, credit).toBeDefined();
      const sale = refunded as ExportLine[];
      const full =
        sale.length === group.length && group.every((c, i) => c.quantity === -(sale[i] as ExportLine).quantity);
      const sameDay = Math.floor(first.localMs / DAY_MS) === Math.floor((sale[0] as ExportLine).localMs / DAY_MS);
      if (full && sameDay) kinds.sameDayFull += 1;
      if (!full) kinds.partial += 1;
      if (!sameDay) kinds.later += 1;
    }
    expect(kinds.sameDayFull).toBeGreaterThan(20);
    expect(kinds.partial).toBeGreaterThan(20);
    expect(kinds.later).toBeGreaterThan(20);
  });

  it("leaves about a quarter of the lines without a customer (between 20% and 30%)", () => {
    const anonymous = lines.filter((l) => l.customerId === "").length / lines.length;
    expect(anonymous).toBeGreaterThan(0.2);
    expect(anonymous).toBeLessThan(0.3);
    for (const l of lines) if (l.customerId !== "") expect(l.customerId).toMatch(/^\d+$/);
  });

  it("gives each customer one country, mostly the home country", () => {
    for (const [customer, group] of groupBy(
      lines.filter((l) => l.customerId !== ""),
      (l) => l.customerId,
    )) {
      expect(new Set(group.map((l) => l.country)).size, customer).toBe(1);
    }
    const home = lines.filter((l) => l.country === "United Kingdom").length / lines.length;
    expect(home).toBeGreaterThan(0.75);
    expect(new Set(lines.map((l) => l.country)).size).toBeGreaterThan(10);
  });

  it("describes each StockCode by one description, with an occasional other one", () => {
    let codesWithTwo = 0;
    let usual = 0;
    for (const [code, group] of groupBy(lines, (l) => l.stockCode)) {
      const counts = [...groupBy(group, (l) => l.description).values()].map((g) => g.length);
      expect(Math.max(...counts) / group.length, code).toBeGreaterThanOrEqual(0.5);
      expect(new Set(group.map((l) => l.priceCents)).size, code).toBe(1);
      if (counts.length > 1) codesWithTwo += 1;
      usual += Math.max(...counts);
    }
    expect(codesWithTwo).toBeGreaterThan(10);
    expect(usual / lines.length).toBeGreaterThan(0.97);
  });

  it("is deterministic by seed: the same seed gives the same bytes, another seed other data", async () => {
    const again = await generateShopExport({ outDir: await dir("again"), customers: 1500, seed: 7, asOf: AS_OF });
    const other = await generateShopExport({ outDir: await dir("other"), customers: 1500, seed: 8, asOf: AS_OF });
    const bytes = await readFile(join(out, "online_retail.csv"));
    expect((await readFile(again.file)).equals(bytes)).toBe(true);
    expect((await readFile(other.file)).equals(bytes)).toBe(false);
    expect(again.lines).toBe(lines.length);
  });

  it("writes invoices in number order, each invoice's lines together", () => {
    const numbers = lines.map((l) => Number(l.invoiceNo.replace(/^C/, "")));
    for (let i = 1; i < numbers.length; i += 1) {
      expect((numbers[i] as number) - (numbers[i - 1] as number), `line ${i + 2}`).toBeGreaterThanOrEqual(0);
      expect((numbers[i] as number) - (numbers[i - 1] as number), `line ${i + 2}`).toBeLessThanOrEqual(1);
    }
    const times = [...groupBy(lines, (l) => l.invoiceNo).values()].map((g) => (g[0] as ExportLine).localMs);
    for (let i = 1; i < times.length; i += 1) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1] as number);
  });

  // Large enough (about 600k lines) that DuckDB splits the work across threads; the file is written unsorted.
  it("does not depend on the number of threads", async () => {
    const base = { customers: 20_000, seed: 5, asOf: AS_OF } as const;
    const one = await generateShopExport({ ...base, threads: 1, outDir: await dir("threads-1") });
    const two = await generateShopExport({ ...base, threads: 2, outDir: await dir("threads-2") });
    expect(one.lines).toBeGreaterThan(400_000);
    expect((await readFile(one.file)).equals(await readFile(two.file))).toBe(true);
  });

  it("refuses another format or an unknown style as wrong usage", async () => {
    const parquet = await runCli(["generate", "--style", "shop-export", "--format", "parquet", "--out", out]);
    expect(parquet.code).toBe(2);
    expect(parquet.stderr).toContain("--format must be csv");
    const style = await runCli(["generate", "--style", "shop", "--out", out]);
    expect(style.code).toBe(2);
    expect(style.stderr).toContain("--style must be tables or shop-export");
    await expect(generateShopExport({ outDir: out, customers: 10, format: "parquet" })).rejects.toBeInstanceOf(
      TierwiseError,
    );
  });
});
