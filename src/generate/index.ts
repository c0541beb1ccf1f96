export { generateDataset } from "./generate-dataset.js";
export type { GenerateOptions, GenerateSummary } from "./options.js";
export { planGeneration } from "./plan.js";
