/** The commented example mapping written by `tierwise init` (see docs/ingest.md). */
export const MAPPING_EXAMPLE = `# Tierwise mapping: adapts your own export to the canonical data model
# without editing the files. Every key is optional. See docs/ingest.md.
version: 1

# Timestamps written without an offset are read in this zone and stored in UTC.
time_zone: UTC

# Defaults for every CSV file (each table can override them).
# delimiter: ";"          # detected when absent
# decimal: ","            # detected from the numbers when absent
# date_format: "%d.%m.%Y" # strptime format; ISO 8601 when absent

tables:
  orders:
    # file: Bestellungen.csv  # default: orders.csv / .csv.gz / .parquet / .json / .ndjson
    # Replace each {} by your entries, e.g. columns: { order_id: BestellNr, ordered_at: Datum }
    columns: {} # canonical column: your column
    date_formats: {} # e.g. { ordered_at: ["%d.%m.%Y %H:%M", "%d.%m.%Y"] }
    values: {} # e.g. { status: { Geliefert: completed, Retour: returned, Storniert: cancelled } }
    constants: {} # e.g. { channel: shop }
    # Computed columns: an expression over your columns ("Unit Price" quoted when it has spaces).
    # compute: { amount: Quantity * "Unit Price" }
    # Named row filters: matching rows are skipped and counted per name, never rejected.
    # skip: { no_customer: CustomerID is null }
    # One order per group of a line file: aggregates sum, min, max, count, first, last, most_frequent.
    # group_by: InvoiceNo
    # compute: { ordered_at: min(InvoiceDate), amount: sum(Quantity * UnitPrice) }
  # customers:
  #   from: orders  # one customer per customer id of the orders' file; created_at = first order
  #   compute: { region: most_frequent(Country) }
`;
