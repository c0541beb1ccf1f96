import { parseAllDocuments } from "yaml";

// The codes alone, without yaml: the CLI checks `--currency` with them while it parses its options.
export { currencyHint, knownCurrencies, knownCurrency } from "./currency-code.js";

/**
 * The currency a recorded policy text names (its first document's
 * `currency`), EUR when it names none: what `tierwise runs` shows per run
 * without checking the whole policy again.
 */
export function currencyOf(policyText: string): string {
  try {
    const [first] = parseAllDocuments(policyText);
    const value = first && "get" in first ? first.get("currency") : undefined;
    return typeof value === "string" ? value : "EUR";
  } catch {
    return "EUR";
  }
}
