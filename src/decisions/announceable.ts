/**
 * Numbers a business would announce: multiples of half the value's leading
 * power of ten. 48,213 lies between 45,000 and 50,000; 7,340 between 7,000
 * and 7,500; 120,000 between 100,000 and 150,000; 0.37 between 0.35 and 0.4.
 * Returns the grid points at or below and at or above `value` (the same
 * number twice when it is on the grid).
 * @example announceable(48213) // { down: 45000, up: 50000 }
 */
export function announceable(value: number): { readonly down: number; readonly up: number } {
  if (value === 0 || !Number.isFinite(value)) return { down: value, up: value };
  const step = 5 * 10 ** (Math.floor(Math.log10(Math.abs(value))) - 1);
  const clean = (n: number) => Number(n.toPrecision(12));
  const down = clean(Math.floor(clean(value / step)) * step);
  const up = clean(Math.ceil(clean(value / step)) * step);
  return { down, up };
}
