export type { ColumnDef, ColumnType, TableDef, TableName } from "./column.js";
export { TABLES, TABLE_NAMES, isTableName, tableDef } from "./tables.js";
