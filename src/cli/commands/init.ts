import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { DEFAULT_STORE } from "../../store/default-store.js";
import { MAPPING_EXAMPLE } from "../mapping-example.js";

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("create an empty store and an example mapping file to adapt your own exports")
    .option("--db <file>", "store file", DEFAULT_STORE)
    .option("--mapping <file>", "example mapping file to write (kept if it exists)", "tierwise.mapping.yaml")
    .action(async (flags: { db: string; mapping: string }) => {
      const { openStore } = await import("../../store/index.js");
      const engine = await openStore(flags.db);
      await engine.close();
      const lines = [`store ready: ${flags.db}`];
      if (existsSync(flags.mapping)) {
        lines.push(`kept existing ${flags.mapping}`);
      } else {
        await writeFile(flags.mapping, MAPPING_EXAMPLE, "utf8");
        lines.push(`wrote example mapping: ${flags.mapping}`);
      }
      lines.push("next: tierwise ingest <dir> --db " + flags.db + " [--mapping " + flags.mapping + "]");
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}
