import { type Command, Option } from "commander";
import { UsageError } from "../../errors/index.js";
import { printText } from "../print.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";
import { textTable } from "../text-table.js";

/** The roles of `keys create --role` (the same list as src/store/api-keys.ts, kept here so --help loads no store code). */
const ROLES = ["viewer", "analyst", "admin", "member"] as const;

/** A key's name: what `keys list`, `keys revoke` and the server's logs call it. */
function keyName(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(value))
    throw new UsageError(
      `--name takes 1 to 64 letters, digits and . _ @ - (starting with a letter or digit), got "${value.slice(0, 64)}"`,
    );
  return value;
}

export function registerKeys(program: Command): void {
  const keys = program.command("keys").description("API keys of tierwise serve: create, list, revoke");
  addStoreOptions(
    keys
      .command("create")
      .description("make an API key and print it once (the store keeps only its hash)")
      .addOption(
        new Option("--role <role>", "what the key may do (docs/serve.md)").choices(ROLES).makeOptionMandatory(),
      )
      .requiredOption("--name <name>", "a name for the key, e.g. who or what uses it", keyName),
  ).action(async (flags: StoreFlags & { role: (typeof ROLES)[number]; name: string }) => {
    const { createApiKey } = await import("../../store/api-keys.js");
    const engine = await openStoreFromFlags(flags);
    try {
      const key = await createApiKey(engine, flags.name, flags.role);
      printText(key);
      process.stderr.write(`key ${flags.name} (${flags.role}) created; it is shown only now: keep it secret\n`);
    } finally {
      await engine.close();
    }
  });
  addStoreOptions(keys.command("list").description("the store's API keys: name, role, created, last used")).action(
    async (flags: StoreFlags) => {
      const { listApiKeys } = await import("../../store/api-keys.js");
      const engine = await openStoreFromFlags(flags, { readOnly: true });
      try {
        const rows = (await listApiKeys(engine)).map((k) => [k.name, k.role, k.createdAt, k.lastUsedAt ?? "never"]);
        printText(rows.length === 0 ? "no API keys" : textTable(["name", "role", "created", "last used"], rows));
      } finally {
        await engine.close();
      }
    },
  );
  addStoreOptions(
    keys
      .command("revoke")
      .description("remove an API key: it stops working at once")
      .argument("<name>", "the key's name"),
  ).action(async (name: string, flags: StoreFlags) => {
    const { revokeApiKey } = await import("../../store/api-keys.js");
    const engine = await openStoreFromFlags(flags);
    try {
      await revokeApiKey(engine, name);
      process.stderr.write(`key ${name} revoked\n`);
    } finally {
      await engine.close();
    }
  });
}
