import { describe, expectTypeOf, it } from "vitest";
import {
  type ActionsResult,
  type AssociationRulesReport,
  assignReps,
  associationRules,
  type BgNbdParams,
  benefitCost,
  buildReport,
  type Calibration,
  type ChurnInvestigation,
  type ChurnSignal,
  type ClvFitReport,
  type ClvPrediction,
  type ClvValidation,
  calibrate,
  checkPolicy,
  clv,
  type Engine,
  type Explanation,
  explain,
  type exportAssignments,
  type FitResult,
  fitBgNbd,
  fitClv,
  type History,
  history,
  type IngestResult,
  ingestDirectory,
  investigateChurn,
  type LoadedPolicy,
  loadPolicy,
  type Migrations,
  migrations,
  type Override,
  openStore,
  type PolicyCheck,
  type PurchaseFit,
  predictClv,
  type Recommendations,
  type RecommendLevel,
  type RepAssignment,
  type Report,
  type RunResult,
  recommend,
  reportHtml,
  run,
  type StoreSummary,
  setOverride,
  summariseStore,
  type TableIngestResult,
  type TableName,
  validateClv,
  type WhatIf,
  whatIf,
  writeActions,
} from "../src/index.js";

describe("public API types", () => {
  it("exposes typed store, ingest and summary functions", () => {
    expectTypeOf(openStore).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(openStore).returns.resolves.toEqualTypeOf<Engine>();
    expectTypeOf(ingestDirectory).parameter(0).toEqualTypeOf<Engine>();
    expectTypeOf(ingestDirectory).returns.resolves.toEqualTypeOf<IngestResult>();
    expectTypeOf(summariseStore).returns.resolves.toEqualTypeOf<StoreSummary>();
    expectTypeOf<TableIngestResult["read"]>().toEqualTypeOf<number>();
    expectTypeOf<"orders">().toExtend<TableName>();
    expectTypeOf<"order">().not.toExtend<TableName>();
  });

  it("exposes typed policy, run, explain, override and export functions", () => {
    expectTypeOf(loadPolicy).returns.resolves.toEqualTypeOf<LoadedPolicy>();
    expectTypeOf(run).parameter(1).toEqualTypeOf<LoadedPolicy>();
    expectTypeOf(run).returns.resolves.toEqualTypeOf<RunResult>();
    expectTypeOf(explain).returns.resolves.toEqualTypeOf<Explanation>();
    expectTypeOf(checkPolicy).returns.toEqualTypeOf<PolicyCheck>();
    expectTypeOf(setOverride).returns.resolves.toEqualTypeOf<Override>();
    expectTypeOf<RunResult["schemes"][number]["tiers"][number]["share"]>().toEqualTypeOf<number>();
    expectTypeOf<Parameters<typeof exportAssignments>[1]["out"]>().toEqualTypeOf<string>();
    expectTypeOf<Override["mode"]>().toEqualTypeOf<"fixed" | "floor" | "ceiling">();
  });

  it("exposes typed history and migrations", () => {
    expectTypeOf(history).returns.resolves.toEqualTypeOf<History>();
    expectTypeOf(history).parameter(1).toEqualTypeOf<string>();
    expectTypeOf(migrations).returns.resolves.toEqualTypeOf<Migrations>();
    expectTypeOf(buildReport).returns.resolves.toEqualTypeOf<Report>();
    expectTypeOf(reportHtml).parameter(0).toEqualTypeOf<Report>();
    expectTypeOf(reportHtml).returns.toEqualTypeOf<string>();
    expectTypeOf<Parameters<typeof migrations>[1]["scheme"]>().toEqualTypeOf<string>();
  });

  it("exposes a typed churn investigation", () => {
    expectTypeOf(investigateChurn).returns.resolves.toEqualTypeOf<ChurnInvestigation>();
    expectTypeOf<
      Extract<ChurnInvestigation, { kind: "investigation" }>["signals"][number]["signal"]
    >().toEqualTypeOf<ChurnSignal>();
    expectTypeOf<Extract<ChurnInvestigation, { kind: "investigation" }>["signals"][number]["effect"]>().toEqualTypeOf<
      number | null
    >();
    expectTypeOf<ChurnInvestigation["kind"]>().toEqualTypeOf<"investigation" | "lowest-tier">();
  });

  it("exposes typed CLV models", () => {
    expectTypeOf(fitBgNbd).returns.toEqualTypeOf<FitResult<BgNbdParams>>();
    expectTypeOf<FitResult<BgNbdParams>["standardErrors"]["alpha"]>().toEqualTypeOf<number | null>();
    expectTypeOf(clv).parameter(0).toEqualTypeOf<PurchaseFit>();
    expectTypeOf(clv).returns.toEqualTypeOf<number>();
  });

  it("exposes typed CLV fit, validate and predict", () => {
    expectTypeOf(fitClv).parameter(0).toEqualTypeOf<Engine>();
    expectTypeOf(fitClv).returns.resolves.toEqualTypeOf<ClvFitReport>();
    expectTypeOf(validateClv).returns.resolves.toEqualTypeOf<ClvValidation>();
    expectTypeOf(predictClv).returns.resolves.toEqualTypeOf<ClvPrediction>();
    expectTypeOf<Parameters<typeof validateClv>[1]["calibrationEnd"]>().toEqualTypeOf<string>();
    expectTypeOf<ClvValidation["buckets"][number]["predicted"]>().toEqualTypeOf<number>();
    expectTypeOf<Parameters<typeof predictClv>[1]["out"]>().toEqualTypeOf<string>();
  });

  it("exposes typed decisions: what-if, calibration, benefit cost, rep assignment, action lists", () => {
    expectTypeOf(writeActions).parameter(0).toEqualTypeOf<Engine>();
    expectTypeOf(writeActions).returns.resolves.toEqualTypeOf<ActionsResult>();
    expectTypeOf<Parameters<typeof writeActions>[1]["out"]>().toEqualTypeOf<string>();
    expectTypeOf(whatIf).returns.resolves.toEqualTypeOf<WhatIf>();
    expectTypeOf(calibrate).returns.resolves.toEqualTypeOf<Calibration>();
    expectTypeOf(assignReps).returns.resolves.toEqualTypeOf<RepAssignment>();
    expectTypeOf(benefitCost).returns.toHaveProperty("total").toEqualTypeOf<number>();
    expectTypeOf<Parameters<typeof calibrate>[2]["by"]>().toEqualTypeOf<"customers" | "revenue">();
  });

  it("exposes typed cross-selling: recommendations and the tiers' association rules", () => {
    expectTypeOf(recommend).parameter(0).toEqualTypeOf<Engine>();
    expectTypeOf(recommend).returns.resolves.toEqualTypeOf<Recommendations>();
    expectTypeOf<Parameters<typeof recommend>[1]["out"]>().toEqualTypeOf<string>();
    expectTypeOf<Parameters<typeof recommend>[1]["level"]>().toEqualTypeOf<RecommendLevel | undefined>();
    expectTypeOf(associationRules).returns.resolves.toEqualTypeOf<AssociationRulesReport>();
    expectTypeOf<AssociationRulesReport["tiers"][number]["rules"][number]["lift"]>().toEqualTypeOf<number>();
    expectTypeOf<RecommendLevel>().toEqualTypeOf<"product" | "category">();
  });
});
