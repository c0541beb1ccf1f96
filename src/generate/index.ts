export { generateDataset } from "./generate-dataset.js";
export type { GenerateOptions, GenerateSummary, SimulatedBuying, SimulatedSpend } from "./options.js";
export { parseBuying, parseSpend, planGeneration } from "./plan.js";
