import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dataModelDoc } from "../scripts/data-model-doc.js";
import { metricsDoc } from "../scripts/metrics-doc.js";

describe("docs", () => {
  it("docs/data-model.md matches the model (run `npm run docs`)", () => {
    expect(readFileSync(new URL("../docs/data-model.md", import.meta.url), "utf8")).toBe(dataModelDoc());
  });

  it("docs/metrics.md matches the metric catalogue (run `npm run docs`)", () => {
    expect(readFileSync(new URL("../docs/metrics.md", import.meta.url), "utf8")).toBe(metricsDoc());
  });
});
