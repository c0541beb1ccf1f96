export { createBuyingSql, MAX_SIMULATED_REPEATS } from "./buying.js";
export { copyToFileSql } from "./copy.js";
export { type CustomerWords, createCustomersSql, customerId, selectCustomersSql } from "./customers.js";
export { createInteractionsSql, selectInteractionsSql } from "./interactions.js";
export { createInvoicesSql, selectInvoicesSql } from "./invoices.js";
export { createLeadsSql, LEAD_SITUATIONS, selectLeadsSql } from "./leads.js";
export { selectOrderLinesSql } from "./order-lines.js";
export { createOrdersSql, orderId, orderNo, selectOrdersSql } from "./orders.js";
export type { OutputFormat } from "./output.js";
export { DAY, type GenParams, type SimulatedBuying, type SimulatedSpend, YEAR } from "./params.js";
export {
  availabilityListsSql,
  type Catalogue,
  createAvailabilitySql,
  createProductsSql,
  productId,
  selectProductsSql,
} from "./products.js";
export { createRepsSql, repId, selectRepsSql } from "./reps.js";
export {
  createShopInvoicesSql,
  createShopProductsSql,
  type ShopProducts,
  selectShopExportSql,
  selectShopProductsSql,
  shopInvoiceCountsSql,
} from "./shop-export.js";
export { generatedSizesSql } from "./sizes.js";
