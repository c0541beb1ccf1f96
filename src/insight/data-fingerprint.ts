import type { Engine } from "../engine/engine.js";
import { fingerprintSql } from "../sql/run/snapshot.js";

/**
 * Say when the store's data may have changed: a value that changes (and
 * never comes back) whenever something may have written to the store since
 * it was last asked, or null when that is unknown (another process may
 * write: the fingerprint is then taken on every call).
 */
export type DataGeneration = () => string | null;

/**
 * The store's data fingerprint (the one a run records), taken again only
 * when `generation` says the data may have changed since it was last taken.
 */
export class DataFingerprint {
  private known: { readonly generation: string; readonly fingerprint: string } | undefined;

  constructor(private readonly generation: DataGeneration = () => null) {}

  private readonly remembered = new Map<string, { readonly generation: string; readonly value: Promise<unknown> }>();

  /**
   * A value read from the store (e.g. the latest run), read again only when
   * the data may have changed since: `compute` runs when the generation
   * changed or is unknown. A failed read is not kept.
   */
  async remember<T>(name: string, compute: () => Promise<T>): Promise<T> {
    const generation = this.generation();
    const kept = this.remembered.get(name);
    if (generation !== null && kept?.generation === generation) return kept.value as Promise<T>;
    const value = compute();
    if (generation === null) this.remembered.delete(name);
    else this.remembered.set(name, { generation, value });
    try {
      return await value;
    } catch (error) {
      if (this.remembered.get(name)?.value === value) this.remembered.delete(name);
      throw error;
    }
  }

  async of(engine: Engine): Promise<string> {
    const generation = this.generation();
    if (generation !== null && this.known?.generation === generation) return this.known.fingerprint;
    const fingerprint = (await engine.query(fingerprintSql()))[0]?.fp ?? "";
    this.known = generation === null ? undefined : { generation, fingerprint };
    return fingerprint;
  }
}
