import { readFile } from "node:fs/promises";
import { isMap, isScalar, type Node } from "yaml";
import { didYouMean } from "../errors/index.js";
import { supported } from "../format/formats.js";
import { PolicyErrors, PolicyProblem } from "./codes.js";
import { currencyHint, knownCurrency } from "./currency.js";
import { SourceMap } from "./source-map.js";

/**
 * Top-level policy settings given outside the policy file (`--currency`,
 * `--scale`, `--policy-overlay FILE`): they replace the file's own values,
 * so a preset grades pounds without being copied.
 */
export interface PolicySettings {
  readonly currency?: string;
  readonly scale?: number;
  readonly locale?: string;
}

/** The keys an overlay file may hold (besides `version`). */
export const OVERLAY_KEYS = ["currency", "scale", "locale"] as const;

/** True when no setting is given. */
export function noSettings(s: PolicySettings | undefined): boolean {
  return s === undefined || (s.currency === undefined && s.scale === undefined && s.locale === undefined);
}

/**
 * The policy text with each given setting written in: a value the file has is
 * replaced where it stands (its comment and every line number stay), a
 * missing one is added at the end of the top-level mapping. The result is
 * the effective policy, recorded with the run like any policy text. Several
 * documents (presets run together, separated by `---` lines) each get them.
 */
export function withSettings(text: string, settings: PolicySettings): string {
  if (noSettings(settings)) return text;
  const docs = text.split(/^---$/m);
  return docs.length > 1 ? docs.map((d) => withSettings(d, settings)).join("---") : withSettingsOne(text, settings);
}

function withSettingsOne(text: string, settings: PolicySettings): string {
  const map = new SourceMap("policy", text);
  const root = map.doc.contents;
  if (map.doc.errors.length > 0 || !isMap(root)) return text; // the check reports it
  if (root.flow) {
    // a policy written as one flow mapping ({version: 1, …}): set the keys in it and print it again
    for (const key of OVERLAY_KEYS) if (settings[key] !== undefined) map.doc.set(key, settings[key]);
    return String(map.doc);
  }
  const edits: { from: number; to: number; value: string }[] = [];
  const added: string[] = [];
  for (const key of OVERLAY_KEYS) {
    const value = settings[key];
    if (value === undefined) continue;
    const written = String(value);
    const node = root.items.find((p) => isScalar(p.key) && p.key.value === key)?.value as Node | null | undefined;
    if (node && isScalar(node) && node.range) edits.push({ from: node.range[0], to: node.range[1], value: written });
    else if (node)
      return text; // a malformed value: the check reports it where it stands
    else added.push(`${key}: ${written}`);
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.value + out.slice(e.to);
  if (added.length > 0) out = `${out}${out.endsWith("\n") || out === "" ? "" : "\n"}${added.join("\n")}\n`;
  return out;
}

/**
 * Read an overlay file: a YAML mapping with only `currency`, `scale` and
 * `locale` (and optionally `version: 1`).
 * @throws PolicyErrors listing every problem, located in the overlay file.
 */
export async function loadOverlay(file: string): Promise<PolicySettings> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const detail = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new PolicyErrors([new PolicyProblem("policy.unreadable", { file, reason: detail }, { file })]);
  }
  const map = new SourceMap(file, text);
  if (map.doc.errors.length > 0)
    throw new PolicyErrors(
      map.doc.errors.map(
        (e) =>
          new PolicyProblem("policy.yaml", { reason: e.message.split("\n")[0] ?? "invalid YAML" }, map.at(e.pos[0])),
      ),
    );
  const root = map.doc.contents;
  const keys = OVERLAY_KEYS.join(", ");
  if (!isMap(root)) throw new PolicyErrors([new PolicyProblem("policy.overlay-not-a-mapping", { keys }, map.at(0))]);
  const problems: PolicyProblem[] = [];
  const out: { currency?: string; scale?: number; locale?: string } = {};
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    const where = map.locate([key]);
    if (key === "version") {
      if (value !== 1) problems.push(new PolicyProblem("policy.version", {}, where));
    } else if (key === "currency") {
      if (typeof value !== "string" || !knownCurrency(value))
        problems.push(
          new PolicyProblem("policy.unknown-currency", { currency: String(value) }, where, currencyHint(String(value))),
        );
      else out.currency = value;
    } else if (key === "scale") {
      if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value))
        problems.push(new PolicyProblem("policy.scale-not-positive", { value: String(value) }, where));
      else out.scale = value;
    } else if (key === "locale") {
      if (typeof value !== "string" || !supported(value))
        problems.push(
          new PolicyProblem(
            "policy.unknown-locale",
            { locale: String(value) },
            where,
            typeof value === "string" && supported(value.replace(/_/g, "-"))
              ? `did you mean ${value.replace(/_/g, "-")}?`
              : "a BCP 47 tag such as en-GB",
          ),
        );
      else out.locale = value;
    } else {
      const location = map.locate([key], true);
      problems.push(
        new PolicyProblem(
          "policy.overlay-key",
          { key, keys },
          location,
          didYouMean(key, OVERLAY_KEYS) ?? "put other keys in the policy file itself",
        ),
      );
    }
  }
  if (problems.length > 0) throw new PolicyErrors(problems);
  return out;
}
