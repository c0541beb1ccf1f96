export { isDemoStore, isDemoStoreFile, markDemoStore } from "./demo-mark.js";
export { DEFAULT_STORE, type EngineName, openStore, rejectsPathFor, type StoreOptions } from "./open-store.js";
export { requireCustomers } from "./require-customers.js";
export { ensureStoreSchema } from "./schema.js";
export { type StoreSummary, summariseStore } from "./summary.js";
