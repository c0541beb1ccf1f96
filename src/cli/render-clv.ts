import type { ClvFitReport } from "../clv-store/fit.js";
import type { ClvPrediction } from "../clv-store/predict.js";
import type { ClvValidation } from "../clv-store/validate.js";
import { textTable } from "./text-table.js";

const num = (n: number, digits = 4) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const count = (n: number) => n.toLocaleString("en-US");
/** Four decimals, or three significant digits in exponent form for a value too small to show so (a → 0). */
const small = (n: number) => (n === 0 || Math.abs(n) >= 1e-3 ? num(n) : n.toExponential(2));

const LABELS: Readonly<Record<string, string>> = {
  bgnbd: "BG/NBD",
  "pareto-nbd": "Pareto/NBD",
  "gamma-gamma": "Gamma-Gamma",
};

/** A condition number for people: 1.6e+2, or "infinite". */
export const condition = (n: number) => (Number.isFinite(n) ? n.toExponential(1) : "infinite");

/** The identification verdict of a fit, in one line of prose (the printer wraps it). */
export function identificationLine(f: ClvFitReport["models"][number]["fit"]): string {
  const prior = f.prior === "weak" ? "maximum a posteriori, weak priors; " : "";
  return `${prior}condition number ${condition(f.identification.conditionNumber)}: ${f.identification.message}`;
}

/** `tierwise clv fit`: each model's parameters with standard errors and the fit figures. */
export function renderClvFit(r: ClvFitReport): string {
  const lines = [
    `calibration to ${r.calibrationEnd} (${r.timeZone}), time unit ${r.timeUnit}: ${count(r.customers)} customers, ` +
      `${count(r.repeatBuyers)} repeat buyers, ${count(r.purchaseGroups)} distinct (x, t_x, T)`,
  ];
  for (const m of r.models) {
    const f = m.fit;
    const params = f.params as unknown as Record<string, number>;
    const errors = f.standardErrors as unknown as Record<string, number | null>;
    lines.push(
      "",
      `${m.unchanged ? "unchanged: " : ""}${LABELS[f.model] ?? f.model} (model ${m.modelId}${m.runId === null ? "" : `, run ${m.runId}${m.runAsOf === null ? "" : ` (as of ${m.runAsOf})`}`}): log-likelihood ${num(f.logLikelihood, 2)}, ` +
        `${count(f.customers)} customers, ${count(f.repeatBuyers)} repeat buyers${f.converged ? "" : ", NOT converged"}`,
      textTable(
        ["parameter", "estimate", "std. error", "error/estimate"],
        Object.keys(params).map((k) => {
          const e = errors[k];
          const p = params[k] ?? Number.NaN;
          return [
            k,
            small(p),
            e === null || e === undefined ? "-" : small(e),
            e === null || e === undefined ? "-" : num(e / p, 2),
          ];
        }),
        [1, 2, 3],
      ),
      identificationLine(f),
    );
  }
  return lines.join("\n");
}

/** `tierwise clv validate`: actual against predicted holdout repeat purchases. */
export function renderClvValidation(v: ClvValidation, chartPath: string): string {
  const rows = v.buckets.map((b) => [
    b.frequency,
    count(b.customers),
    count(b.actual),
    num(b.predicted, 1),
    num(b.actual / b.customers, 3),
    num(b.predicted / b.customers, 3),
  ]);
  rows.push([
    "total",
    count(v.total.customers),
    count(v.total.actual),
    num(v.total.predicted, 1),
    num(v.total.actual / v.total.customers, 3),
    num(v.total.predicted / v.total.customers, 3),
  ]);
  return [
    `${LABELS[v.fit.model] ?? v.fit.model} fitted to ${v.calibrationEnd}; holdout to ${v.holdoutEnd} (${num(v.holdoutLength, 2)} ${v.timeUnit}s)`,
    identificationLine(v.fit),
    "",
    textTable(["frequency", "customers", "actual", "predicted", "actual/customer", "predicted/customer"], rows),
    "",
    `mean absolute error per customer (over buckets): ${num(v.meanAbsoluteError, 3)}`,
    `total error: ${v.totalErrorPercent === null ? "-" : `${v.totalErrorPercent >= 0 ? "+" : ""}${num(v.totalErrorPercent, 1)}%`}`,
    `chart: ${chartPath}`,
  ].join("\n");
}

/** `tierwise clv predict`: what was written. */
export function renderClvPrediction(p: ClvPrediction): string {
  const spend = p.spendModel
    ? `Gamma-Gamma model ${p.spendModel.modelId}`
    : "no Gamma-Gamma model (spend = mean repeat value)";
  return [
    `${count(p.rows)} customers → ${p.path}`,
    `${LABELS[p.purchaseModel.fit.model] ?? p.purchaseModel.fit.model} model ${p.purchaseModel.modelId} (calibration to ${p.purchaseModel.calibrationEnd}), ${spend}`,
    `horizon ${num(p.horizon, 2)} ${p.timeUnit}s, discount rate ${num(p.discountRate * 100, 1)}% a year, margin ${num(p.margin * 100, 1)}%`,
    ...[p.purchaseModel, p.spendModel]
      .filter((m) => m !== null && m.fit.identification.verdict !== "well identified")
      .map((m) => `warning: model ${m?.modelId} is ${m?.fit.identification.message}`),
  ].join("\n");
}
