/** A small seeded generator (SplitMix32-style mixing of a Weyl sequence) for random starts and simulation. */
export class Rng {
  private state: number;
  private spare: number | undefined;
  constructor(seed: number) {
    this.state = (seed * 0x9e3779b9) >>> 0 || 0x6d2b79f5;
  }

  /** A uniform draw in the open interval (0, 1). */
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const hi = (t ^ (t >>> 14)) >>> 0;
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let u = this.state;
    u = Math.imul(u ^ (u >>> 15), u | 1);
    u ^= u + Math.imul(u ^ (u >>> 7), u | 61);
    const lo = ((u ^ (u >>> 14)) >>> 0) >>> 11;
    return (hi * 2097152 + lo + 0.5) / 9007199254740992;
  }

  /** A standard normal draw (Marsaglia's polar method). */
  normal(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * f;
        return u * f;
      }
    }
  }

  /** Gamma(shape, rate) (Marsaglia & Tsang; shape < 1 by the U^(1/shape) boost). */
  gamma(shape: number, rate: number): number {
    if (shape < 1) return this.gamma(shape + 1, rate) * this.uniform() ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
    }
  }

  /** Beta(a, b). */
  beta(a: number, b: number): number {
    const x = this.gamma(a, 1);
    const y = this.gamma(b, 1);
    return x / (x + y);
  }

  /** Exponential with the given rate. */
  exponential(rate: number): number {
    return -Math.log(this.uniform()) / rate;
  }
}
