import type { ColumnDef, TableDef, TableName } from "./column.js";

const id = (name: string, description: string, example: string): ColumnDef => ({
  name,
  type: "id",
  required: true,
  description,
  example,
});

const ref = (name: string, table: TableName, required: boolean, description: string, example: string): ColumnDef => ({
  name,
  type: "id",
  required,
  references: { table, column: `${singular(table)}_id`, optional: !required },
  description,
  example,
});

function singular(table: TableName): string {
  return table.endsWith("s") ? table.slice(0, -1) : table;
}

const reps: TableDef = {
  name: "reps",
  description: "Service representatives who own customer relationships (docs/schemes.md §8).",
  requiredTable: false,
  key: ["rep_id"],
  columns: [
    id("rep_id", "Representative id.", "R007"),
    { name: "name", type: "text", required: false, description: "Display name.", example: "Ana Kovács" },
    {
      name: "level",
      type: "enum",
      required: true,
      enumValues: ["standard", "key-account", "senior"],
      description: "Which customers the rep may serve.",
      example: "key-account",
    },
    {
      name: "grade",
      type: "enum",
      required: false,
      enumValues: ["intermediate", "senior"],
      description: "Seniority within the level.",
      example: "senior",
    },
    {
      name: "capacity",
      type: "integer",
      required: false,
      min: 0,
      description: "Most customers the rep can own; empty means unlimited.",
      example: "120",
    },
  ],
};

const products: TableDef = {
  name: "products",
  description: "Product catalogue: categories and launch dates for new-category and launch signals.",
  requiredTable: false,
  key: ["product_id"],
  columns: [
    id("product_id", "Product id (SKU).", "P-00042"),
    { name: "name", type: "text", required: false, description: "Product name.", example: "Trail shoe" },
    { name: "category", type: "text", required: false, description: "Category name.", example: "footwear" },
    {
      name: "launched_at",
      type: "timestamp",
      required: false,
      description: "When the product went on sale.",
      example: "2025-03-01T00:00:00Z",
    },
  ],
};

const customers: TableDef = {
  name: "customers",
  description: "Everyone who can be graded: buyers, prospects and accounts.",
  requiredTable: true,
  key: ["customer_id"],
  columns: [
    id("customer_id", "Customer id; kept as text so leading zeros survive.", "000123"),
    { name: "name", type: "text", required: false, description: "Person or company name.", example: "Nguyễn Thị Lan" },
    { name: "email", type: "text", required: false, description: "Contact address.", example: "lan@example.com" },
    {
      name: "kind",
      type: "enum",
      required: false,
      enumValues: ["b2c", "b2b"],
      description: "Consumer or business; empty means unknown.",
      example: "b2b",
    },
    {
      name: "created_at",
      type: "timestamp",
      required: false,
      description: "When the customer record was created (sign-up).",
      example: "2023-05-14T09:30:00Z",
    },
    { name: "region", type: "text", required: false, description: "Sales region.", example: "EU-North" },
    ref("owner_rep_id", "reps", false, "Current owning rep; must exist in reps when reps are loaded.", "R007"),
    {
      name: "prospects_rating",
      type: "integer",
      required: false,
      min: 1,
      max: 5,
      description: "Manual prospects rating entered by sales, 1 (poor) to 5 (excellent) (docs/schemes.md §4).",
      example: "4",
    },
    {
      name: "attributes",
      type: "json",
      required: false,
      description: "Free-form JSON object of extra attributes.",
      example: '{"segment":"retail"}',
    },
  ],
};

const orders: TableDef = {
  name: "orders",
  description: "One row per order; the main source of value metrics.",
  requiredTable: true,
  key: ["order_id"],
  columns: [
    id("order_id", "Order id.", "SO-2025-000981"),
    ref("customer_id", "customers", true, "The buying customer; must exist in customers.", "000123"),
    {
      name: "ordered_at",
      type: "timestamp",
      required: true,
      description: "When the order was placed.",
      example: "2025-11-02T16:45:00+01:00",
    },
    {
      name: "amount",
      type: "money",
      required: true,
      negativeOnCredit: true,
      description:
        "What the customer paid, after discount. Negative on a credit note (a refund); a credit written with a positive amount is stored negative. Negative on a row of kind `order` is rejected.",
      example: "249.90",
    },
    {
      name: "cost",
      type: "money",
      required: false,
      min: 0,
      description:
        "Cost of goods sold; on a credit note, the cost of the goods that came back (added back to contribution).",
      example: "151.20",
    },
    {
      name: "discount",
      type: "money",
      required: false,
      min: 0,
      description: "Discount granted (ignored on credit notes).",
      example: "20.00",
    },
    {
      name: "service_cost",
      type: "money",
      required: false,
      min: 0,
      description: "Cost of serving the order (handling, delivery) if known.",
      example: "4.50",
    },
    {
      name: "status",
      type: "enum",
      required: false,
      default: "completed",
      enumValues: ["completed", "returned", "cancelled"],
      description:
        "completed counts as spend; returned was refunded in full; cancelled never happened. Empty means completed.",
      example: "completed",
    },
    { name: "channel", type: "text", required: false, description: "Sales channel.", example: "web" },
    {
      name: "kind",
      type: "enum",
      required: false,
      enumValues: ["order", "credit"],
      description:
        "order is a sale; credit is a credit note (refund) with a negative amount. Empty means credit when the amount is negative, else order.",
      example: "order",
    },
    {
      name: "refunds_order_id",
      type: "id",
      required: false,
      references: { table: "orders", column: "order_id", optional: true },
      description:
        "For a credit note: the order it refunds, fully or partly; must exist in orders (the store or this load). Empty: an unreferenced credit, or a sale.",
      example: "",
    },
  ],
};

const orderLines: TableDef = {
  name: "order_lines",
  description: "Products within orders, for category and cross-sell signals.",
  requiredTable: false,
  key: ["order_id", "line_no"],
  columns: [
    ref("order_id", "orders", true, "The order; must exist in orders.", "SO-2025-000981"),
    {
      name: "line_no",
      type: "integer",
      required: false,
      min: 1,
      description: "Line number within the order; empty means the line's position among the order's lines in the file.",
      example: "1",
    },
    ref("product_id", "products", false, "Product; must exist in products when products are loaded.", "P-00042"),
    {
      name: "category",
      type: "text",
      required: false,
      description: "Category; empty means the product's category.",
      example: "footwear",
    },
    {
      name: "quantity",
      type: "number",
      required: false,
      default: "1",
      description: "Units bought; empty means 1. Negative on a return.",
      example: "2",
    },
    {
      name: "amount",
      type: "money",
      required: false,
      description: "Line amount paid; negative on a return.",
      example: "199.90",
    },
  ],
};

const invoices: TableDef = {
  name: "invoices",
  description: "Invoices and payments, for credit indicators.",
  requiredTable: false,
  key: ["invoice_id"],
  columns: [
    id("invoice_id", "Invoice id.", "INV-7781"),
    ref("customer_id", "customers", true, "Billed customer; must exist in customers.", "000123"),
    { name: "issued_at", type: "timestamp", required: true, description: "Issue date.", example: "2025-10-01" },
    {
      name: "due_at",
      type: "timestamp",
      required: true,
      description: "Payment due date; not before issued_at.",
      example: "2025-10-31",
    },
    {
      name: "paid_at",
      type: "timestamp",
      required: false,
      description: "When it was paid; empty means unpaid.",
      example: "2025-11-04",
    },
    { name: "amount", type: "money", required: true, min: 0, description: "Invoice amount.", example: "1800.00" },
  ],
};

const interactions: TableDef = {
  name: "interactions",
  description: "Complaints, compensation, support, referrals, surveys and engagement.",
  requiredTable: false,
  key: ["interaction_id"],
  columns: [
    id("interaction_id", "Interaction id.", "I-55120"),
    ref("customer_id", "customers", true, "The customer; must exist in customers.", "000123"),
    {
      name: "at",
      type: "timestamp",
      required: true,
      description: "When it happened.",
      example: "2025-09-12T11:00:00Z",
    },
    {
      name: "kind",
      type: "enum",
      required: true,
      enumValues: ["complaint", "compensation", "support", "referral", "survey", "visit", "inquiry", "signup"],
      description: "What happened.",
      example: "complaint",
    },
    {
      name: "outcome",
      type: "enum",
      required: false,
      enumValues: ["founded", "unfounded"],
      description: "For complaints: whether it was justified.",
      example: "unfounded",
    },
    {
      name: "value",
      type: "money",
      required: false,
      min: 0,
      description: "Money involved, e.g. compensation paid.",
      example: "25.00",
    },
    {
      name: "score",
      type: "integer",
      required: false,
      min: 1,
      max: 5,
      description: "For surveys (required there): 5 very satisfied … 1 very dissatisfied.",
      example: "4",
    },
  ],
};

const leads: TableDef = {
  name: "leads",
  description: "Prospective deals, graded A–E (docs/schemes.md §6).",
  requiredTable: false,
  key: ["lead_id"],
  columns: [
    id("lead_id", "Lead id.", "L-3001"),
    ref("customer_id", "customers", false, "Customer, if the lead belongs to one.", "000123"),
    {
      name: "created_at",
      type: "timestamp",
      required: true,
      description: "When the lead was opened.",
      example: "2025-08-01",
    },
    {
      name: "need",
      type: "enum",
      required: true,
      enumValues: ["clear", "latent", "none"],
      description: "How clear the prospect's need is.",
      example: "clear",
    },
    {
      name: "expected_close_at",
      type: "timestamp",
      required: false,
      description: "Expected close date; empty means unknown.",
      example: "2025-12-15",
    },
    { name: "amount", type: "money", required: false, min: 0, description: "Expected deal value.", example: "12000" },
    {
      name: "status",
      type: "enum",
      required: false,
      default: "open",
      enumValues: ["open", "won", "lost"],
      description: "Deal status; empty means open.",
      example: "open",
    },
  ],
};

/** Every table of the canonical model, in load order (referenced tables first). */
export const TABLES: readonly TableDef[] = [
  reps,
  products,
  customers,
  orders,
  orderLines,
  invoices,
  interactions,
  leads,
];

export const TABLE_NAMES: readonly TableName[] = TABLES.map((t) => t.name);

export function tableDef(name: TableName): TableDef {
  const def = TABLES.find((t) => t.name === name);
  if (!def) throw new Error(`internal: no table ${name}`);
  return def;
}

export function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name);
}
