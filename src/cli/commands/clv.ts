import { writeFile } from "node:fs/promises";
import { type Command, Option } from "commander";
import type { ClvModel, Prior, TimeUnit } from "../../clv/index.js";
import type { Horizon } from "../../clv-store/predict.js";
import { UsageError } from "../../errors/index.js";
import { printJson, printText } from "../print.js";
import { createProgress } from "../progress.js";
import { type RawFlags, rawOption } from "../raw-option.js";
import { renderClvFit, renderClvPrediction, renderClvValidation } from "../render-clv.js";
import { isoDate } from "../run-command.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";

const HORIZON_UNITS: Readonly<Record<string, Horizon["unit"]>> = {
  d: "day",
  day: "day",
  days: "day",
  w: "week",
  week: "week",
  weeks: "week",
  m: "month",
  month: "month",
  months: "month",
  y: "year",
  year: "year",
  years: "year",
};

/** `12 months`, `12months`, `52w`, `1 year`; `horizonDays` is the days of each unit (predict.ts's `HORIZON_DAYS`). */
export function parseHorizon(
  words: readonly string[] | string,
  horizonDays: Readonly<Record<Horizon["unit"], number>>,
): Horizon {
  const text = (Array.isArray(words) ? words.join(" ") : String(words)).trim();
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text);
  const unit = match ? HORIZON_UNITS[(match[2] ?? "").toLowerCase()] : undefined;
  const amount = Number(match?.[1]);
  // At most 100 years ahead, like every window and horizon of a policy.
  if (!match || !unit || !(amount > 0) || amount * horizonDays[unit] > 36_525) {
    throw new UsageError(
      `--horizon takes an amount and a unit such as "12 months" or 52w (at most 100 years), got ${JSON.stringify(text)}`,
    );
  }
  return { amount, unit };
}

function rate(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > max) {
      throw new UsageError(`${name} takes a number from 0 to ${max}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
}

const timeUnitOption = () =>
  new Option("--time-unit <unit>", "time unit of the statistics and parameters")
    .choices(["day", "week"])
    .default("week");
const priorOption = () =>
  new Option("--prior <prior>", "weak: maximum a posteriori with weak priors (docs/clv.md, Priors)")
    .choices(["none", "weak"])
    .default("none");
const zoneOption = () =>
  new Option("--time-zone <zone>", "IANA zone whose calendar days are purchase days").default("UTC");

type Flags = StoreFlags & { timeUnit: TimeUnit; timeZone: string; prior: Prior; json?: boolean };

async function withStore<T>(
  flags: StoreFlags,
  work: (engine: Awaited<ReturnType<typeof openStoreFromFlags>>) => Promise<T>,
  readOnly = false,
) {
  const engine = await openStoreFromFlags(flags, { readOnly });
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

/** `withStore` for the commands that only read the store (validate, predict): opened read-only. */
function withReadingStore<T>(
  flags: StoreFlags,
  work: (engine: Awaited<ReturnType<typeof openStoreFromFlags>>) => Promise<T>,
): Promise<T> {
  return withStore(flags, work, true);
}

/** `tierwise clv fit | validate | predict`. */
export function registerClv(program: Command): void {
  const clv = program
    .command("clv")
    .description(
      "customer lifetime value: fit BG/NBD, Pareto/NBD and Gamma-Gamma models, validate them, predict per customer",
    );

  const fit = clv
    .command("fit")
    .description("fit by maximum likelihood on per-customer statistics and store the model with the latest run")
    .addOption(
      new Option("--model <model>", "the model to fit (default: bgnbd and gamma-gamma)").choices([
        "bgnbd",
        "pareto-nbd",
        "gamma-gamma",
      ]),
    )
    .option(
      "--calibration-end <date>",
      "last day of the calibration period (default: day of the latest order)",
      isoDate("--calibration-end"),
    )
    .addOption(timeUnitOption())
    .addOption(zoneOption())
    .addOption(priorOption())
    .option(
      "--exclude-nonpositive",
      "leave repeat buyers whose repeat purchases are worth 0 or less (net of credits) out of Gamma-Gamma",
    )
    .option("--json", "print the fit as JSON");
  addStoreOptions(fit).action(
    async (flags: Flags & { model?: ClvModel; calibrationEnd?: string; excludeNonpositive?: boolean }) => {
      const { fitClv } = await import("../../clv-store/fit.js");
      const progress = createProgress();
      const report = await withStore(flags, (engine) =>
        fitClv(engine, {
          ...(flags.model ? { models: [flags.model] } : {}),
          ...(flags.calibrationEnd ? { calibrationEnd: flags.calibrationEnd } : {}),
          timeUnit: flags.timeUnit,
          timeZone: flags.timeZone,
          prior: flags.prior,
          excludeNonpositive: flags.excludeNonpositive === true,
          onStep: (s) => progress.update(0, 1, s),
        }),
      ).finally(() => progress.stop());
      const json = {
        ...report,
        models: report.models.map((m) => ({
          modelId: m.modelId,
          runId: m.runId,
          unchanged: m.unchanged === true,
          ...m.fit,
        })),
      };
      if (flags.json) printJson(json);
      else printText(renderClvFit(report));
    },
  );

  const validate = clv
    .command("validate")
    .description(
      "fit on the calibration period, compare predicted with actual repeat purchases in the holdout; SVG chart",
    )
    .requiredOption("--calibration-end <date>", "last day of the calibration period", isoDate("--calibration-end"))
    .option(
      "--holdout-end <date>",
      "last day of the holdout (default: day of the latest order)",
      isoDate("--holdout-end"),
    )
    .addOption(new Option("--model <model>", "purchase model").choices(["bgnbd", "pareto-nbd"]).default("bgnbd"))
    .addOption(timeUnitOption())
    .addOption(zoneOption())
    .addOption(priorOption())
    .option("--chart <file>", "where to write the SVG chart", "clv-validation.svg")
    .option("--json", "print the comparison as JSON");
  addStoreOptions(validate).action(
    async (
      flags: Flags & { model: "bgnbd" | "pareto-nbd"; calibrationEnd: string; holdoutEnd?: string; chart: string },
    ) => {
      const { validateClv } = await import("../../clv-store/validate.js");
      const progress = createProgress();
      const v = await withReadingStore(flags, (engine) =>
        validateClv(engine, {
          calibrationEnd: flags.calibrationEnd,
          ...(flags.holdoutEnd ? { holdoutEnd: flags.holdoutEnd } : {}),
          model: flags.model,
          timeUnit: flags.timeUnit,
          timeZone: flags.timeZone,
          prior: flags.prior,
          onStep: (s) => progress.update(0, 1, s),
        }),
      ).finally(() => progress.stop());
      await writeFile(flags.chart, v.svg);
      const { svg: _svg, ...rest } = v;
      if (flags.json) printJson({ ...rest, chartPath: flags.chart });
      else printText(renderClvValidation(v, flags.chart));
    },
  );

  const predict = clv
    .command("predict")
    .description("per-customer predictions (P(alive), expected purchases and spend, CLV) from the latest fitted model")
    .requiredOption("--out <file>", "output file: .csv, .parquet or .json")
    .option("--horizon <amount...>", 'prediction horizon, e.g. "12 months" (default), 52w, 2 years')
    .option("--discount-rate <rate>", "yearly discount rate (default 0.1)", rate("--discount-rate", 10))
    .option("--margin <share>", "share of spend that is margin (default 1)", rate("--margin", 1))
    .addOption(
      new Option("--model <model>", "purchase model (default: the latest fitted)").choices(["bgnbd", "pareto-nbd"]),
    )
    .option("--json", "print the summary as JSON")
    .addOption(rawOption());
  addStoreOptions(predict).action(
    async (
      flags: StoreFlags & {
        out: string;
        horizon?: string[];
        discountRate?: number;
        margin?: number;
        model?: "bgnbd" | "pareto-nbd";
        json?: boolean;
      } & RawFlags,
    ) => {
      const { HORIZON_DAYS, predictClv } = await import("../../clv-store/predict.js");
      const horizon = flags.horizon ? parseHorizon(flags.horizon, HORIZON_DAYS) : undefined;
      const progress = createProgress();
      const p = await withReadingStore(flags, (engine) =>
        predictClv(engine, {
          out: flags.out,
          ...(horizon ? { horizon } : {}),
          ...(flags.discountRate !== undefined ? { discountRate: flags.discountRate } : {}),
          ...(flags.margin !== undefined ? { margin: flags.margin } : {}),
          ...(flags.model ? { model: flags.model } : {}),
          ...(flags.raw ? { raw: true } : {}),
          onStep: (s) => progress.update(0, 1, s),
        }),
      ).finally(() => progress.stop());
      const json = {
        path: p.path,
        rows: p.rows,
        purchaseModelId: p.purchaseModel.modelId,
        spendModelId: p.spendModel?.modelId ?? null,
        horizon: p.horizon,
        timeUnit: p.timeUnit,
        discountRate: p.discountRate,
        margin: p.margin,
      };
      if (flags.json) printJson(json);
      else printText(renderClvPrediction(p));
    },
  );
}
