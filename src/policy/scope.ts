import { TABLES } from "../model/index.js";
import { CALENDAR_WINDOWS, type ValueType } from "../plan/expression.js";
import { type Entity, METRICS } from "../plan/metrics.js";
import type { MetricSignature, Scope } from "./expression/check.js";

/**
 * What a scheme's expressions may name: the built-in metrics of its entity
 * (bare ones as names, windowed ones as calls), the policy's custom metrics,
 * `as_of` everywhere, and the entity's own columns (e.g. `kind`).
 */
export function entityScope(entity: Entity, custom: ReadonlyMap<string, ValueType>): Scope {
  const own = METRICS.filter((m) => m.entity === entity);
  const metrics = new Map<string, ValueType>();
  const metricFunctions = new Map<string, MetricSignature>();
  for (const m of own) {
    if (m.name === "as_of") continue;
    if (m.params.length === 0) metrics.set(m.name, m.type);
    else metricFunctions.set(m.name, { params: m.params, result: m.type, noNesting: m.name === "percentile_rank" });
  }
  if (entity === "customers") for (const [name, type] of custom) metrics.set(name, type);
  return {
    metrics,
    metricFunctions,
    parameters: new Map([["as_of", "date"]]),
    tables: TABLES,
    rowTable: entity,
  };
}

/** Every name a custom metric may not take: built-ins, functions and keywords. */
export function reservedNames(): ReadonlySet<string> {
  return new Set([
    ...METRICS.map((m) => m.name),
    "lifetime",
    ...Object.keys(CALENDAR_WINDOWS),
    "sum",
    "count",
    "avg",
    "min",
    "max",
    "abs",
    "round",
    "least",
    "greatest",
    "coalesce",
    "days_between",
  ]);
}
