import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Where the preset YAML files ship (the package's `presets/` folder). */
export const PRESETS_DIR = fileURLToPath(new URL("../../presets/", import.meta.url));

/** Names of the shipped presets, e.g. `value-grades`. */
export function presetNames(): string[] {
  return readdirSync(PRESETS_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** A shipped preset with what its file's opening comment says about it. */
export interface PresetInfo {
  readonly name: string;
  /** The preset file's opening comment, as one paragraph. */
  readonly description: string;
}

/** The shipped presets with their descriptions (each file's opening `#` comment), by name. */
export function presetList(): PresetInfo[] {
  return presetNames().map((name) => {
    const lines = readFileSync(`${PRESETS_DIR}${name}.yaml`, "utf8").split("\n");
    const end = lines.findIndex((l) => !l.startsWith("#"));
    const comment = lines.slice(0, end < 0 ? lines.length : end).map((l) => l.replace(/^#\s?/, ""));
    return { name, description: comment.join(" ").replace(/\s+/g, " ").trim() };
  });
}
