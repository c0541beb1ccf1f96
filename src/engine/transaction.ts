/** The three statements an engine's driver runs to bracket a transaction. */
export interface TransactionStatements {
  begin(): Promise<unknown>;
  commit(): Promise<unknown>;
  rollback(): Promise<unknown>;
}

/**
 * Transaction bracketing shared by the engines: `run(work)` commits when
 * `work` succeeds and rolls back when it throws; a nested call runs inside
 * the transaction already open (engines have one connection each).
 */
export class TransactionScope {
  private open = false;

  constructor(private readonly statements: TransactionStatements) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.open) return work();
    await this.statements.begin();
    this.open = true;
    try {
      const result = await work();
      await this.statements.commit();
      return result;
    } catch (error) {
      await this.statements.rollback().catch(() => undefined);
      throw error;
    } finally {
      this.open = false;
    }
  }
}
