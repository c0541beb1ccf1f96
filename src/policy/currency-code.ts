/** ISO 4217 codes the runtime can format (Node 20: `Intl.supportedValuesOf('currency')`). */
export function knownCurrencies(): readonly string[] {
  return Intl.supportedValuesOf("currency");
}

/** Whether `code` is an ISO 4217 code the runtime knows (upper case, as written in a policy). */
export function knownCurrency(code: string): boolean {
  return knownCurrencies().includes(code);
}

/**
 * The code probably meant for an unknown one: the same letters in upper case
 * (`gbp` → GBP), the same letters in another order (`GPB` → GBP), else a
 * code one letter away (`GBR` → GBP). Three letters are too few for a looser
 * guess: `ZZZ` gets no suggestion.
 */
export function currencyHint(code: string): string {
  const known = knownCurrencies();
  const upper = code.toUpperCase();
  if (known.includes(upper)) return `did you mean ${upper}?`;
  const sorted = (s: string) => [...s].sort().join("");
  const anagram = upper.length === 3 ? known.find((k) => sorted(k) === sorted(upper)) : undefined;
  if (anagram) return `did you mean ${anagram}?`;
  const oneOff = known.find((k) => k.length === upper.length && [...k].filter((c, i) => c !== upper[i]).length === 1);
  return oneOff ? `did you mean ${oneOff}?` : "an ISO 4217 code such as EUR, GBP or USD";
}
