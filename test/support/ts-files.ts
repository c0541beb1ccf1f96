import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Every `.ts` file below `dir`, depth first. */
export function* tsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (name.endsWith(".ts")) yield path;
  }
}
