export { generateDataset } from "./generate-dataset.js";
export type { GenerateOptions, GenerateSummary, SimulatedBuying, SimulatedSpend } from "./options.js";
export { parseBuying, parseSpend, planGeneration } from "./plan.js";
export { generateShopExport, SHOP_EXPORT_FILE, SHOP_EXPORT_MAPPING, type ShopExportSummary } from "./shop-export.js";
