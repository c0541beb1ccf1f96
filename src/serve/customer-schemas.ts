import { z } from "zod";
import { CUSTOMER_SORTS } from "../sql/serve/customers.js";

/** The parameters of `GET /customers` added after the first slice: at-risk filter and sort order. */
export const CUSTOMER_SEARCH = {
  at_risk: z
    .enum(["true", "false"])
    .optional()
    .describe(
      "true: only customers at risk as of the latest run (churn's definition: past their expected next order, not turned); false: only the others",
    ),
  sort: z
    .enum(CUSTOMER_SORTS)
    .default("id")
    .describe(
      "order of the pages, then by id: id, name, revenue (net spend of the run's revenue window) or score (of `scheme`); `-` descending; no value last",
    ),
};
