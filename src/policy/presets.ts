import { readdirSync } from "node:fs";
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
