import { describe, expect, it } from "vitest";
import { checkPolicy } from "../../src/policy/check-policy.js";
import { withSettings } from "../../src/policy/policy-settings.js";

/** Settings written into a policy's text: the text recorded with the run is the effective policy. */
describe("withSettings", () => {
  it("replaces a value where it stands: its comment and every line number stay", () => {
    const text = 'version: 1\ncurrency: "EUR"   # thresholds in euros\nscale: 1\nschemes: []\n';
    expect(withSettings(text, { currency: "GBP", scale: 0.1 })).toBe(
      "version: 1\ncurrency: GBP   # thresholds in euros\nscale: 0.1\nschemes: []\n",
    );
  });

  it("adds a missing key at the end, to each document of several", () => {
    expect(withSettings("version: 1\n---\nversion: 1\nscale: 2", { scale: 0.1, locale: "en-GB" })).toBe(
      "version: 1\nscale: 0.1\nlocale: en-GB\n---\nversion: 1\nscale: 0.1\nlocale: en-GB\n",
    );
  });

  it("sets the keys of a policy written as one flow mapping", () => {
    const text =
      '{version: 1, currency: EUR, schemes: [{name: a, kind: thresholds, metric: "spend(12 months)", tiers: [{name: x}]}]}';
    const { plan } = checkPolicy(withSettings(text, { currency: "GBP", scale: 0.1 }));
    expect(plan).toMatchObject({ currency: "GBP", scale: 0.1 });
  });

  it("leaves a text it cannot read to the check, and changes nothing without settings", () => {
    expect(withSettings("version: [1", { currency: "GBP" })).toBe("version: [1");
    expect(withSettings("version: 1\n", {})).toBe("version: 1\n");
  });
});
