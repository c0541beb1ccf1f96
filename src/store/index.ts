export { DEFAULT_STORE, openStore, rejectsPathFor } from "./open-store.js";
export { ensureStoreSchema } from "./schema.js";
export { type StoreSummary, summariseStore } from "./summary.js";
