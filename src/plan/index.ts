export type * from "./expression.js";
export type {
  CheckDef,
  ColumnPlan,
  ColumnSourcePlan,
  DecimalMark,
  IngestPlan,
  SkipPlan,
  SourceRef,
  TablePlan,
} from "./ingest-plan.js";
