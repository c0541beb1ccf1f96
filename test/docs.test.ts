import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dataModelDoc } from "../scripts/data-model-doc.js";

describe("docs", () => {
  it("docs/data-model.md matches the model (run `npm run docs`)", () => {
    expect(readFileSync(new URL("../docs/data-model.md", import.meta.url), "utf8")).toBe(dataModelDoc());
  });
});
