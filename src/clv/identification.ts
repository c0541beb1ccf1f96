/**
 * How well a fit's data pin its parameters down: per parameter the estimate,
 * its standard error and their ratio, the condition number of the
 * information matrix in the log-parameters (scale-free: a change of time
 * unit or currency does not move it), and a verdict in plain words.
 */
import type { ClvModel, Identification, ParameterIdentification, Prior } from "./types.js";

/** A parameter is weakly identified when its standard error exceeds this share of its estimate. */
export const WEAK_RATIO = 1;
/** Parameters trade off against each other (a ridge in the likelihood) beyond this condition number. */
export const WEAK_CONDITION = 1e8;

/** What each parameter tells, for the verdict. */
const MEANING: Readonly<Record<ClvModel, Readonly<Record<string, string>>>> = {
  bgnbd: {
    r: "how often customers buy",
    alpha: "how often customers buy",
    a: "how fast customers leave",
    b: "how fast customers leave",
  },
  "pareto-nbd": {
    r: "how often customers buy",
    alpha: "how often customers buy",
    s: "how fast customers leave",
    beta: "how fast customers leave",
  },
  "gamma-gamma": {
    p: "how much a purchase is worth",
    q: "how spend varies between customers",
    v: "how spend varies between customers",
  },
};

/** Eigenvalues of a small symmetric matrix (cyclic Jacobi rotations). */
export function symmetricEigenvalues(m: readonly (readonly number[])[]): number[] {
  const n = m.length;
  const a = m.map((row) => row.slice());
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += (a[i]?.[j] ?? 0) ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]?.[q] ?? 0;
        if (apq === 0) continue;
        const app = a[p]?.[p] ?? 0;
        const aqq = a[q]?.[q] ?? 0;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]?.[p] ?? 0;
          const akq = a[k]?.[q] ?? 0;
          (a[k] as number[])[p] = c * akp - s * akq;
          (a[k] as number[])[q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]?.[k] ?? 0;
          const aqk = a[q]?.[k] ?? 0;
          (a[p] as number[])[k] = c * apk - s * aqk;
          (a[q] as number[])[k] = s * apk + c * aqk;
        }
      }
    }
  }
  return a.map((row, i) => row[i] ?? 0);
}

/**
 * The identification of a fit from its estimates, standard errors and the
 * information matrix (negative Hessian of the objective) in the natural
 * parameters.
 */
export function identify(
  model: ClvModel,
  names: readonly string[],
  estimate: Float64Array,
  standardErrors: readonly number[],
  information: readonly (readonly number[])[],
  prior: Prior,
): Identification {
  const parameters: ParameterIdentification[] = names.map((name, i) => {
    const e = estimate[i] as number;
    const se = standardErrors[i] as number;
    return { name, estimate: e, standardError: se, ratio: se / e };
  });
  // Information in the log-parameters: D I D with D = diag(θ).
  const logInfo = information.map((row, i) => row.map((v, j) => v * (estimate[i] as number) * (estimate[j] as number)));
  const eig = symmetricEigenvalues(logInfo);
  const largest = Math.max(...eig);
  const smallest = Math.min(...eig);
  const conditionNumber = smallest > 0 ? largest / smallest : Number.POSITIVE_INFINITY;
  return judge(model, parameters, conditionNumber, prior);
}

/**
 * The verdict from the per-parameter ratios and the condition number (NaN
 * when unknown, e.g. a model stored before the diagnostics existed: then the
 * ratios alone decide).
 */
export function judge(
  model: ClvModel,
  parameters: readonly ParameterIdentification[],
  conditionNumber: number,
  prior: Prior,
): Identification {
  const weak = parameters.filter((p) => p.ratio > WEAK_RATIO);
  const advice =
    prior === "weak" ? "the prior, not the data, sets it; consider a longer calibration period" : undefined;
  if (weak.length > 0) {
    const who =
      weak.length === 1
        ? `${weak[0]?.name}'s standard error exceeds its estimate`
        : `${list(weak.map((p) => `${p.name}'s`))} standard errors exceed their estimates`;
    const meanings = [...new Set(weak.map((p) => MEANING[model][p.name] ?? p.name))];
    return {
      parameters,
      conditionNumber,
      verdict: "weakly identified",
      message: `weakly identified: ${who} — the data cannot tell ${list(meanings)}; ${
        advice ?? "consider --prior weak or a longer calibration period"
      }`,
    };
  }
  if (conditionNumber >= WEAK_CONDITION) {
    return {
      parameters,
      conditionNumber,
      verdict: "weakly identified",
      message: `weakly identified: the parameters trade off against each other (condition number ${conditionNumber.toExponential(
        1,
      )}); ${advice ?? "consider --prior weak or a longer calibration period"}`,
    };
  }
  return { parameters, conditionNumber, verdict: "well identified", message: "well identified" };
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
