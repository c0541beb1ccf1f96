/**
 * The Tierwise library API.
 *
 * @example
 * import { openStore, ingestDirectory, loadPolicy, run, explain } from "tierwise";
 * const store = await openStore("shop.duckdb");
 * await ingestDirectory(store, { dir: "./exports", rejectsPath: "shop.rejects.csv" });
 * const result = await run(store, await loadPolicy({ presets: ["value-grades"] }), { asOf: "2026-01-01" });
 * console.log(result.schemes[0]?.tiers, await explain(store, "C0000001"));
 * await store.close();
 */
export {
  type BgNbdParams,
  type ClvModel,
  type ClvOptions,
  clv,
  expectedPurchases,
  expectedPurchasesNew,
  expectedSpend,
  type FitOptions,
  type FitResult,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  type GammaGammaParams,
  type ParetoNbdParams,
  type PurchaseFit,
  type PurchaseSummary,
  pAlive,
  type SpendSummary,
  simulateBgNbd,
  simulateParetoNbd,
  simulateSpend,
  summarise,
  type TimeUnit,
} from "./clv/index.js";
export { type ClvFitOptions, type ClvFitReport, fitClv } from "./clv-store/fit.js";
export { type ClvPrediction, type ClvPredictOptions, type Horizon, predictClv } from "./clv-store/predict.js";
export {
  type ClvValidateOptions,
  type ClvValidation,
  type FrequencyBucket,
  validateClv,
} from "./clv-store/validate.js";
export {
  ACTION_COLUMNS,
  type ActionCount,
  type ActionKind,
  type ActionsOptions,
  type ActionsResult,
  playbookActions,
  writeActions,
} from "./decisions/actions.js";
export { announceable } from "./decisions/announceable.js";
export {
  type AssignRepsOptions,
  assignReps,
  type RepAssignment,
  type RepChange,
  type RepLoad,
} from "./decisions/assign-reps.js";
export {
  type BenefitCost,
  type BenefitCostLine,
  benefitCost,
  type TierTotals,
} from "./decisions/benefit-cost.js";
export {
  type Bound,
  type CalibratedTier,
  type CalibrateOptions,
  type Calibration,
  calibrate,
  parseShares,
  type Share,
  type ShareMeasure,
  type ShareTarget,
} from "./decisions/calibrate.js";
export {
  type SchemePair,
  type WhatIf,
  type WhatIfCell,
  type WhatIfOptions,
  type WhatIfScheme,
  type WhatIfSideResult,
  type WhatIfTier,
  whatIf,
} from "./decisions/what-if.js";
export {
  createDeliverer,
  type Deliverer,
  type DeliverOptions,
  type DeliverResult,
  type DeliveryAttempt,
  deliverEvents,
  deliveries,
  eventKey,
  signature,
  type Webhook,
  webhookBody,
  webhookSignature,
} from "./delivery/deliver.js";
export {
  type AlertEvent,
  type EventsOptions,
  events,
  type TierChangeEvent,
  type TierEvent,
} from "./delivery/events.js";
export { DuckDbEngine, type DuckDbOptions } from "./engine/duckdb-engine.js";
export type { Engine, RawSource, Row, SourceColumn, SourceFormat } from "./engine/engine.js";
export {
  ERROR_CODES,
  type ErrorCode,
  REJECT_CODES,
  type RejectCode,
  type SourceLocation,
  TierwiseError,
  TierwiseErrors,
} from "./errors/index.js";
export {
  type GenerateOptions,
  type GenerateSummary,
  generateDataset,
  generateShopExport,
  type ShopExportSummary,
} from "./generate/index.js";
export { type IngestOptions, ingestDirectory } from "./ingest/ingest.js";
export { loadMapping, type Mapping, parseMapping } from "./ingest/mapping.js";
export type { IngestProgress, IngestResult, RejectReason, TableIngestResult } from "./ingest/result.js";
export {
  type AtRiskCustomer,
  type ChurnEvery,
  type ChurnOptions,
  type ChurnPeriod,
  type ChurnReport,
  type ChurnTierRow,
  churn,
} from "./insight/churn.js";
export {
  type ChurnInvestigation,
  type ChurnInvestigationOptions,
  type ChurnInvestigationReport,
  type ChurnInvestigationSkipped,
  type ChurnSignalComparison,
  type ChurnSignalGroup,
  investigateChurn,
} from "./insight/churn-investigate.js";
export { type Explanation, explain, type SchemeExplanation } from "./insight/explain.js";
export { type ExportOptions, type ExportResult, exportAssignments } from "./insight/export.js";
export { type Direction, type History, history, type TierChange } from "./insight/history.js";
export {
  type MigrationCell,
  type MigrationOptions,
  type Migrations,
  type Mover,
  migrations,
} from "./insight/migrations.js";
export {
  type AssociationRule,
  type AssociationRulesReport,
  associationRules,
  type CrossSellSource,
  type Recommendations,
  type RecommendLevel,
  type RecommendOptions,
  recommend,
  type TierAssociationRules,
} from "./insight/recommend.js";
export {
  buildReport,
  type Crosstab,
  type CrosstabCell,
  type Pareto,
  type ParetoPoint,
  type Report,
  type ReportAtRisk,
  type ReportChurn,
  type ReportCrossSell,
  type ReportHistory,
  type ReportMigrations,
  type ReportMover,
  type ReportOptions,
  type ReportRule,
  type ReportScheme,
  type ReportTier,
  type ReportTierRules,
} from "./insight/report.js";
export { type ColumnDef, type ColumnType, TABLES, type TableDef, type TableName } from "./model/index.js";
export type { AlertCondition, AlertPlan } from "./plan/alert.js";
export { CHURN_SIGNALS, type ChurnSignal, type ChurnSignalDef } from "./plan/churn-signals.js";
export { METRICS, type MetricInfo } from "./plan/metrics.js";
export type { BenefitPlan, PlaybookPlan, RepLevel, ServiceLevel } from "./plan/playbook.js";
export type { PolicyPlan, SchemeKind, SchemePlan, Visibility } from "./plan/policy.js";
export { checkPolicy, type PolicyCheck } from "./policy/check-policy.js";
export { POLICY_CODES, type PolicyCode, PolicyErrors, PolicyProblem } from "./policy/codes.js";
export { type LoadedPolicy, loadPolicy, presetNames } from "./policy/load-policy.js";
export { loadOverlay, type PolicySettings, withSettings } from "./policy/policy-settings.js";
export { policyJsonSchema } from "./policy/schema.js";
export { reportHtml } from "./report/html.js";
export {
  BACKFILL_MAX_DATES,
  type BackfillEvery,
  type BackfillOptions,
  type BackfillProgress,
  type BackfillResult,
  backfill,
  backfillDates,
} from "./run/backfill.js";
export { type DeleteRunsOptions, type DeleteRunsResult, deleteRuns } from "./run/delete-runs.js";
export {
  listOverrides,
  type Override,
  type OverrideMode,
  overrideLog,
  removeOverride,
  type SetOverride,
  setOverride,
} from "./run/overrides.js";
export { loadRecordedPolicy, type PolicyVersion, policyHistory } from "./run/policy-versions.js";
export { rate } from "./run/ratings.js";
export { type RunOptions, type RunResult, run, type SchemeResult, type TierResult } from "./run/run.js";
export { listRuns, type RunListing } from "./run/run-list.js";
export {
  DEFAULT_STORE,
  type EngineName,
  openStore,
  rejectsPathFor,
  type StoreOptions,
  type StoreSummary,
  summariseStore,
} from "./store/index.js";
