const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escape text for HTML and SVG, in element content and in quoted attribute
 * values alike. Every piece of user text (tier and scheme names, customer
 * ids, reasons) goes through this before it reaches a page.
 * @example escapeHtml('<script>') // "&lt;script&gt;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** User text in its own bidirectional context (a right-to-left tier name does not reorder its neighbours). */
export function bidi(text: string): string {
  return `<bdi>${escapeHtml(text)}</bdi>`;
}
