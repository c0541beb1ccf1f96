import { type SqlFragment, sql } from "../fragment.js";

/** Convert an export CSV (entity_id, scheme, tier, tier_rank, score) to Parquet with proper types (DuckDB). */
export function parquetFromCsvSql(csvPath: string, parquetPath: string): SqlFragment {
  return sql`COPY (SELECT * FROM read_csv(${csvPath}, header = true, auto_detect = false,
    columns = {'entity_id': 'VARCHAR', 'scheme': 'VARCHAR', 'tier': 'VARCHAR', 'tier_rank': 'INTEGER', 'score': 'DOUBLE'}))
    TO ${parquetPath} (FORMAT parquet)`;
}
