export { fitBgNbd, fitGammaGamma, fitParetoNbd, PRIOR_SD } from "./fit.js";
export { judge } from "./identification.js";
export { clv, expectedPurchases, expectedPurchasesNew, expectedSpend, pAlive } from "./predict.js";
export { simulateBgNbd, simulateParetoNbd, simulateSpend } from "./simulate.js";
export { summarise } from "./summarise.js";
export type {
  BgNbdParams,
  ClvModel,
  ClvOptions,
  FitOptions,
  FitResult,
  GammaGammaParams,
  Identification,
  ParameterIdentification,
  ParetoNbdParams,
  Prior,
  PurchaseFit,
  PurchaseSummary,
  SpendSummary,
  TimeUnit,
} from "./types.js";
