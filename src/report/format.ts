export { type Formats, formats } from "../format/formats.js";

/** The day before a `YYYY-MM-DD` date (the last day of a window that ends at as-of). */
export function dayBefore(iso: string): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
