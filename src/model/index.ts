export type { ColumnDef, ColumnType, TableDef, TableName } from "./column.js";
export { isTableName, TABLE_NAMES, TABLES, tableDef } from "./tables.js";
