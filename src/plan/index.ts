export type * from "./expression.js";
export type {
  CheckDef,
  ColumnPlan,
  ColumnSourcePlan,
  DecimalMark,
  IngestPlan,
  TablePlan,
} from "./ingest-plan.js";
