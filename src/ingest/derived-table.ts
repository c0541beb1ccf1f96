import { TierwiseError } from "../errors/index.js";
import { copySourceMap, type Mapping, type TableMapping } from "./mapping.js";

/**
 * `customers: { from: orders }`: customers derived from the orders' file in
 * the same load, written out as an ordinary grouped table of that file: the
 * orders' file, reader options and skip filters, grouped by the source
 * column of `orders.customer_id`; `created_at` is the customer's first
 * order (the orders' `ordered_at`, aggregated with `min`) unless the mapping
 * gives it. Other columns come from the customers' own `compute:`
 * aggregates over the same rows (e.g. `region: most_frequent(Country)`).
 */
export function expandDerivedTables(mapping: Mapping): { mapping: Mapping; problems: TierwiseError[] } {
  const customers = mapping.tables?.["customers"];
  if (customers?.from === undefined) return { mapping, problems: [] };
  const problems: TierwiseError[] = [];
  const orders = mapping.tables?.["orders"];
  const problem = (id: "mapping.derived-with-file" | "mapping.derived-orders-file" | "mapping.derived-customer-id") =>
    problems.push(TierwiseError.of(id, {}));
  if (customers.file !== undefined) problem("mapping.derived-with-file");
  const customerId = orders?.columns?.["customer_id"];
  if (!orders?.file) problem("mapping.derived-orders-file");
  if (customerId === undefined) problem("mapping.derived-customer-id");
  if (!orders || problems.length > 0) return { mapping, problems };

  const orderedAt = orders.compute?.["ordered_at"] ?? quoted(orders.columns?.["ordered_at"]);
  const createdAt =
    customers.compute?.["created_at"] ?? (orderedAt === undefined ? undefined : firstOrder(orderedAt, orders));
  const dateFormat = orders.date_formats?.["ordered_at"];
  const own = customers;
  const derived: TableMapping = {
    ...pick(orders, ["file", "delimiter", "quote", "encoding", "decimal", "date_format"]),
    ...own,
    group_by: customerId as string,
    skip: { ...orders.skip, ...own.skip },
    columns: { ...own.columns, customer_id: customerId as string },
    compute: { ...own.compute, ...(createdAt === undefined ? {} : { created_at: createdAt }) },
    ...(dateFormat !== undefined && own.date_formats?.["created_at"] === undefined
      ? { date_formats: { ...own.date_formats, created_at: dateFormat } }
      : {}),
  };
  const expanded: Mapping = { ...mapping, tables: { ...mapping.tables, customers: derived } };
  copySourceMap(mapping, expanded);
  return { mapping: expanded, problems };
}

/** A source column name as an expression name. */
function quoted(name: string | undefined): string | undefined {
  return name === undefined ? undefined : `"${name.replaceAll('"', '""')}"`;
}

/**
 * The first order of a customer from the orders' `ordered_at`: a plain
 * column or a row expression is aggregated with `min`; an aggregate of a
 * grouped orders table (`min(InvoiceDate)`) already is one, and its minimum
 * over all of a customer's rows is the first order's.
 */
function firstOrder(orderedAt: string, orders: TableMapping): string {
  const aggregated = orders.group_by !== undefined && /^\s*min\s*\(/i.test(orderedAt);
  return aggregated ? orderedAt : `min(${orderedAt})`;
}

function pick<K extends keyof TableMapping>(tm: TableMapping, keys: readonly K[]): Partial<TableMapping> {
  return Object.fromEntries(keys.filter((k) => tm[k] !== undefined).map((k) => [k, tm[k]]));
}
