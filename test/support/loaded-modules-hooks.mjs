// The resolve hook of loaded-modules.mjs (runs on Node's loader thread): records each module
// resolved, after the hooks registered before it (tsx) have found its file.
import { appendFileSync } from "node:fs";

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const out = process.env.TIERWISE_LOADED_MODULES;
  if (out) appendFileSync(out, `${resolved.url}\n`);
  return resolved;
}
