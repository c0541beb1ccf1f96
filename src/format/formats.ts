/**
 * Every number a person reads, in one locale and currency: counts, money,
 * percentages, decimals and dates. Text and HTML outputs format through
 * `formats(locale, currency)` only; machine outputs (CSV, JSON, Parquet)
 * keep plain numbers.
 */
export interface Formats {
  readonly locale: string;
  readonly currency: string;
  /** 1234567 → "1,234,567" (en-US), "1.234.567" (de-DE), "1 234 567" (hu-HU, with no-break spaces). */
  count(n: number): string;
  /** Whole currency units: "€1,234,567", "1.234.567 €", "1 234 567 Ft". */
  money(n: number): string;
  /** Compact money for chart labels: "€1.2M". */
  moneyShort(n: number): string;
  /** An amount with two decimals and no currency sign (tables headed by the currency): "2,763.06", "2.763,06". */
  amount(n: number): string;
  /** A share 0..1 with one decimal at most: "9.8%", "9,8 %"; "–" for null. */
  percent(x: number | null): string;
  /** A number with `digits` decimals: the Gini coefficient, a lift. */
  decimal(x: number, digits: number): string;
  /** A measured value with up to `digits` decimals (2 unless told): "8,400", "1.234,5". */
  number(x: number, digits?: number): string;
  /** `YYYY-MM-DD` → "1 January 2026" in the locale's long form. */
  date(iso: string): string;
}

const cache = new Map<string, Formats>();

/** A BCP 47 tag this runtime formats numbers for (`de-DE`; not `de_DE`, not `xx-YY`). */
export function supported(tag: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false;
  }
}

/**
 * Formats for a locale (a BCP 47 tag such as `hu-HU`) and an ISO 4217 currency.
 * @example formats("de-DE", "EUR").number(2763.06) // "2.763,06"
 */
export function formats(tag: string, currency = "EUR"): Formats {
  const key = `${tag} ${currency}`;
  const known = cache.get(key);
  if (known) return known;
  // `policy check` refuses unknown locales; a run recorded before that check falls back to en-US.
  const locale = supported(tag) ? tag : "en-US";
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
  const amount = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" });
  const fixed = new Map<string, Intl.NumberFormat>();
  const digitsFormat = (min: number, max: number) => {
    const k = `${min}-${max}`;
    let nf = fixed.get(k);
    if (!nf) {
      nf = new Intl.NumberFormat(locale, { minimumFractionDigits: min, maximumFractionDigits: max });
      fixed.set(k, nf);
    }
    return nf;
  };
  const f: Formats = {
    locale,
    currency,
    count: (n) => count.format(n),
    money: (n) => money.format(n),
    moneyShort: (n) => short.format(n),
    amount: (n) => amount.format(n),
    percent: (x) =>
      x === null
        ? "–"
        : x > 0 && x < 0.0005
          ? `<${percent.format(0.001)}`
          : percent.format(Math.abs(x) < 0.0005 ? 0 : x),
    decimal: (x, digits) => digitsFormat(digits, digits).format(x),
    number: (x, digits = 2) => digitsFormat(0, digits).format(x),
    date: (iso) => date.format(new Date(`${iso}T00:00:00Z`)),
  };
  cache.set(key, f);
  return f;
}
