export type { ColumnDef, ColumnType, TableDef, TableName } from "./column.js";
export {
  codePointLabel,
  ID_FORBIDDEN,
  ID_TRIMMED,
  type IdText,
  MAX_ID_LENGTH,
  normaliseId,
} from "./id-text.js";
export type { RawSource, SourceColumn, SourceFormat } from "./raw-source.js";
export { isTableName, TABLE_NAMES, TABLES, tableDef } from "./tables.js";
