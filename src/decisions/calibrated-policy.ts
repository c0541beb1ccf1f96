import { isMap, isScalar, isSeq, parseDocument } from "yaml";
import { TierwiseError } from "../errors/index.js";
import type { ThresholdsScheme } from "../plan/policy.js";
import { checkPolicy } from "../policy/check-policy.js";

type Bounds = ThresholdsScheme["bounds"];

const failed = (scheme: string, reason: string) =>
  new TierwiseError("CALIBRATION_IMPOSSIBLE", { scheme, reason: `the calibrated policy cannot be written: ${reason}` });

/**
 * The whole policy document that holds `scheme`, with the scheme's tier
 * bounds replaced by `bounds` (plan values; `fileValue` turns them into the
 * file's, before `scale`); every other key and comment stays as written. The
 * result is checked again: it must pass `policy check` and give the scheme
 * exactly these bounds, so a run of it grades as the calibration counted.
 * `policyText` may hold several documents separated by `---` (several
 * presets); only the scheme's own is returned.
 */
export function calibratedPolicy(
  policyText: string,
  scheme: ThresholdsScheme,
  bounds: Bounds,
  fileValue: (v: number) => number,
  header: string,
): string {
  for (const text of policyText.split(/^---$/m)) {
    const doc = parseDocument(text);
    const schemes = doc.get("schemes");
    if (!isSeq(schemes)) continue;
    const node = schemes.items.find((s) => isMap(s) && s.get("name") === scheme.name);
    if (!isMap(node)) continue;
    const tiers = node.get("tiers");
    if (!isSeq(tiers) || tiers.items.length !== bounds.length)
      throw failed(scheme.name, `${scheme.name}'s tiers are not a list`);
    bounds.forEach((b, i) => {
      const tier = tiers.items[i];
      if (!isMap(tier) || tier.get("name") !== b.tier)
        throw failed(scheme.name, `${scheme.name}'s tier ${i + 1} is not ${b.tier}`);
      const was: string[] = [];
      for (const key of ["min", "above", "keep"] as const) {
        const v = b[key] === undefined ? undefined : fileValue(b[key]);
        const old = tier.get(key, true);
        if (isScalar(old) && old.value === v) continue;
        if (isScalar(old)) was.push(`${key} ${String(old.value)}`);
        if (v === undefined) {
          tier.delete(key);
          continue;
        }
        const node = doc.createNode(v);
        // A comment inside a flow map ({ name: Gold, min: 50000 }) would break it over lines: it goes after the map.
        if (!tier.flow) node.comment = ` calibrated${isScalar(old) ? `; was ${String(old.value)}` : ""}`;
        tier.set(key, node);
      }
      if (tier.flow && was.length > 0) tier.comment = ` calibrated; was ${was.join(", ")}`;
    });
    const out = `${header}\n# The whole policy with ${scheme.name}'s calibrated bounds: tierwise policy check, then tierwise run.\n${doc.toString()}`;
    const { plan, problems } = checkPolicy(out);
    const again = plan?.schemes.find((s) => s.name === scheme.name);
    if (again?.kind !== "thresholds")
      throw failed(scheme.name, problems.map((p) => p.oneLine()).join("; ") || `${scheme.name} is missing`);
    const same = again.bounds.every((b, i) => {
      const want = bounds[i];
      return b.tier === want?.tier && b.min === want.min && b.above === want.above && b.keep === want.keep;
    });
    if (!same) throw failed(scheme.name, `${scheme.name}'s bounds do not read back as calibrated`);
    return out;
  }
  throw failed(scheme.name, `no document of the policy defines ${scheme.name}`);
}
