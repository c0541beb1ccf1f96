import { type Command, Option } from "commander";
import type { OverrideMode } from "../../run/overrides.js";
import { idArgument } from "../id-argument.js";
import { isoDate, positiveInteger } from "../run-command.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";
import { textTable } from "../text-table.js";

interface SetFlags extends StoreFlags {
  scheme: string;
  tier: string;
  mode: OverrideMode;
  reason: string;
  expires?: string;
  by?: string;
}

export function registerOverride(program: Command): void {
  const override = program
    .command("override")
    .description("manual tier overrides: fixed (exactly this tier), floor (never below), ceiling (never above)");
  addStoreOptions(
    override
      .command("set")
      .description("set an override, applied at every run until it expires (replaces the entity's active one)")
      .argument("<id>", "customer id or lead id", idArgument("<id>"))
      .requiredOption("--scheme <name>", "scheme")
      .requiredOption("--tier <tier>", "tier name")
      .addOption(
        new Option("--mode <mode>", "fixed, floor or ceiling")
          .choices(["fixed", "floor", "ceiling"])
          .makeOptionMandatory(),
      )
      .requiredOption("--reason <text>", "why (kept in the audit trail)")
      .option("--expires <date>", "last applies to runs before this date", isoDate("--expires"))
      .option("--by <name>", "who sets it (default: $TIERWISE_USER or $USER)"),
  ).action(async (id: string, flags: SetFlags) => {
    const { setOverride } = await import("../../run/overrides.js");
    const engine = await openStoreFromFlags(flags);
    try {
      const o = await setOverride(engine, {
        entityId: id,
        scheme: flags.scheme,
        tier: flags.tier,
        mode: flags.mode,
        reason: flags.reason,
        ...(flags.by ? { by: flags.by } : {}),
        ...(flags.expires ? { expires: flags.expires } : {}),
      });
      process.stdout.write(
        `override ${o.id}: ${o.entityId} ${o.mode} ${o.tier} in ${o.scheme}${o.expires ? ` until ${o.expires}` : ""}\n`,
      );
    } finally {
      await engine.close();
    }
  });
  addStoreOptions(
    override
      .command("list")
      .description("list active overrides")
      .option("--scheme <name>", "only this scheme")
      .option("--all", "include removed and replaced ones")
      .option("--log", "print the audit trail instead")
      .option("--json", "print as JSON"),
  ).action(async (flags: StoreFlags & { scheme?: string; all?: boolean; log?: boolean; json?: boolean }) => {
    const { listOverrides, overrideLog } = await import("../../run/overrides.js");
    const engine = await openStoreFromFlags(flags, { readOnly: true });
    try {
      if (flags.log) {
        const log = await overrideLog(engine);
        process.stdout.write(
          flags.json
            ? `${JSON.stringify(log, null, 2)}\n`
            : `${textTable(
                ["id", "action", "at", "by", "scheme", "entity", "tier", "mode", "reason", "previous"],
                log.map((r) =>
                  [
                    "override_id",
                    "action",
                    "logged_at",
                    "by_name",
                    "scheme",
                    "entity_id",
                    "tier",
                    "mode",
                    "reason",
                    "previous",
                  ].map((k) => String(r[k] ?? "")),
                ),
              )}\n`,
        );
        return;
      }
      const list = await listOverrides(engine, {
        ...(flags.scheme ? { scheme: flags.scheme } : {}),
        ...(flags.all ? { all: true } : {}),
      });
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(list, null, 2)}\n`
          : `${textTable(
              ["id", "scheme", "entity", "mode", "tier", "expires", "by", "reason"],
              list.map((o) => [String(o.id), o.scheme, o.entityId, o.mode, o.tier, o.expires ?? "", o.by, o.reason]),
            )}\n`,
      );
    } finally {
      await engine.close();
    }
  });
  addStoreOptions(
    override
      .command("remove")
      .description("remove an active override (the audit trail keeps it)")
      .argument("<override-id>", "id from override list", positiveInteger("<override-id>"))
      .option("--by <name>", "who removes it"),
  ).action(async (id: number, flags: StoreFlags & { by?: string }) => {
    const { removeOverride } = await import("../../run/overrides.js");
    const engine = await openStoreFromFlags(flags);
    try {
      const o = await removeOverride(engine, id, flags.by);
      process.stdout.write(`removed override ${o.id} (${o.mode} ${o.tier} for ${o.entityId} in ${o.scheme})\n`);
    } finally {
      await engine.close();
    }
  });
}
