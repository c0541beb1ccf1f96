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

  async of(engine: Engine): Promise<string> {
    const generation = this.generation();
    if (generation !== null && this.known?.generation === generation) return this.known.fingerprint;
    const fingerprint = (await engine.query(fingerprintSql()))[0]?.fp ?? "";
    this.known = generation === null ? undefined : { generation, fingerprint };
    return fingerprint;
  }
}
