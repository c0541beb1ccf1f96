/**
 * The signals a churn investigation compares (docs/schemes.md §10), as plain
 * data: what each counts in a customer's window and which source it needs.
 * The SQL (src/sql/insight/churn-investigate.ts) computes them; the
 * report (src/insight/churn-investigate.ts) compares and words them.
 */

/** Which data a signal needs; a signal whose source is empty is left out and the report says so. */
export type ChurnSignalSource = "orders" | "discounts" | "interactions" | "order_lines" | "launches";

export interface ChurnSignalDef {
  readonly name: ChurnSignal;
  readonly source: ChurnSignalSource;
  /** Values come from SQL as whole numbers of 1/scale (a share in millionths); 1 for counts. */
  readonly scale: number;
  readonly description: string;
}

export type ChurnSignal =
  | "complaints"
  | "unfounded_complaints"
  | "returns"
  | "discount_share"
  | "categories"
  | "launched_products"
  | "stopped_products"
  | "service_interactions";

/** The catalogue, in the order ties are listed. */
export const CHURN_SIGNALS: readonly ChurnSignalDef[] = [
  { name: "complaints", source: "interactions", scale: 1, description: "interactions of kind complaint" },
  {
    name: "unfounded_complaints",
    source: "interactions",
    scale: 1,
    description: "complaints with outcome unfounded",
  },
  { name: "returns", source: "orders", scale: 1, description: "orders with status returned" },
  {
    name: "discount_share",
    source: "discounts",
    scale: 1_000_000,
    description: "discount / (amount + discount) of completed orders (customers with a completed order only)",
  },
  {
    name: "categories",
    source: "order_lines",
    scale: 1,
    description: "distinct categories of completed order lines",
  },
  {
    name: "launched_products",
    source: "launches",
    scale: 1,
    description: "distinct products launched in the window and bought in it",
  },
  {
    name: "stopped_products",
    source: "order_lines",
    scale: 1,
    description: "distinct products bought in the equally long period before the window but not in it",
  },
  {
    name: "service_interactions",
    source: "interactions",
    scale: 1,
    description: "interactions of kind support or inquiry",
  },
];

/** Why a source can be empty, for the report's "left out" lines. */
export const CHURN_SOURCE_MISSING: Readonly<Record<ChurnSignalSource, string>> = {
  orders: "the store has no orders",
  discounts: "no order records a discount",
  interactions: "the store has no interactions",
  order_lines: "the store has no order lines",
  launches: "no product has a launch date (products.launched_at)",
};
