/** Numbers, money, percentages and dates in one locale and currency. */
export interface Formats {
  readonly locale: string;
  readonly currency: string;
  /** 1234567 → "1,234,567" (en-US), "1 234 567" (hu-HU, with no-break spaces). */
  count(n: number): string;
  /** Whole currency units: "€1,234,567", "1 234 567 Ft", "Rp 1.234.567". */
  money(n: number): string;
  /** Compact money for chart labels: "€1.2M". */
  moneyShort(n: number): string;
  /** A share 0..1 with one decimal at most: "9.8%"; "–" for null. */
  percent(x: number | null): string;
  /** A number with `digits` decimals: the Gini coefficient. */
  decimal(x: number, digits: number): string;
  /** `YYYY-MM-DD` → "1 January 2026" in the locale's long form. */
  date(iso: string): string;
}

/** Formats for a locale (a BCP 47 tag such as `hu-HU`) and an ISO 4217 currency. */
export function formats(locale: string, currency: string): Formats {
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const money = new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    maximumFractionDigits: 0,
    minimumFractionDigits: 0,
  });
  const short = new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    notation: "compact",
    maximumFractionDigits: 1,
  });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" });
  return {
    locale,
    currency,
    count: (n) => count.format(n),
    money: (n) => money.format(n),
    moneyShort: (n) => short.format(n),
    percent: (x) =>
      x === null
        ? "–"
        : x > 0 && x < 0.0005
          ? `<${percent.format(0.001)}`
          : percent.format(Math.abs(x) < 0.0005 ? 0 : x),
    decimal: (x, digits) =>
      new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x),
    date: (iso) => date.format(new Date(`${iso}T00:00:00Z`)),
  };
}

/** The day before a `YYYY-MM-DD` date (the last day of a window that ends at as-of). */
export function dayBefore(iso: string): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
