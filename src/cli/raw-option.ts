import { Option } from "commander";

/** The flags `rawOption()` adds. */
export interface RawFlags {
  raw?: boolean;
}

/**
 * `--raw`: write a CSV file's text cells as they are. Without it a text
 * cell starting with =, +, -, @, a tab or a carriage return gets a leading
 * `'` so a spreadsheet shows it instead of running it (README, Exports are
 * safe to open).
 */
export function rawOption(): Option {
  return new Option("--raw", "CSV: write text cells as they are (no ' before =, +, -, @, tab, CR)");
}
