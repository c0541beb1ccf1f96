/** Split `"A x B"` (also `×`) into two scheme names (`report --crosstab`). */
export function parseCrosstab(text: string): [string, string] | undefined {
  const parts = text.split(/\s+[x×]\s+/);
  const [a, b] = parts;
  return parts.length === 2 && a && b ? [a.trim(), b.trim()] : undefined;
}
