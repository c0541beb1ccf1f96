import { type Command, Option } from "commander";
import type { RecommendLevel } from "../../insight/recommend.js";
import { printJson, printText } from "../print.js";
import { createProgress } from "../progress.js";
import { type RawFlags, rawOption } from "../raw-option.js";
import { renderRecommendations } from "../render-recommend.js";
import { positiveInteger } from "../run-command.js";
import { addStoreOptions, openStoreFromFlags, type StoreFlags } from "../store-options.js";

interface RecommendFlags extends StoreFlags, RawFlags {
  out: string;
  scheme?: string;
  tier?: string;
  run?: number;
  top?: number;
  level?: RecommendLevel;
  candidates?: number;
  minCustomers?: number;
  json?: boolean;
}

/** `tierwise recommend`: per customer, the items peers of the same tier buy that they have not bought. */
export function registerRecommend(program: Command): void {
  const command = program
    .command("recommend")
    .description(
      "cross-sell within a tier: per customer the items most bought by peers of the same tier that they have not bought, with support, confidence and lift; the tiers' association rules",
    )
    .requiredOption("--out <file>", "where to write the recommendations (.csv, .parquet or .json)")
    .option("--scheme <name>", "the scheme whose tiers group the peers (default: the first customer scheme)")
    .option("--tier <name>", "only the customers of this tier (default: every tier)")
    .option(
      "--run <id>",
      "the run whose grades and as-of are used (default: the scheme's latest run)",
      positiveInteger("--run"),
    )
    .option("--top <n>", "items per customer (default 5)", positiveInteger("--top"))
    .addOption(new Option("--level <level>", "recommend products or categories").choices(["product", "category"]))
    .option(
      "--candidates <n>",
      "candidate items per tier: its most bought (default 50)",
      positiveInteger("--candidates"),
    )
    .option(
      "--min-customers <n>",
      "least customers of a tier who bought both items of a rule (default 3)",
      positiveInteger("--min-customers"),
    )
    .option("--json", "print the summary and the rules as JSON")
    .addOption(rawOption());
  addStoreOptions(command).action(async (flags: RecommendFlags) => {
    const { recommend } = await import("../../insight/recommend.js");
    const engine = await openStoreFromFlags(flags, { readOnly: true });
    const progress = createProgress();
    try {
      const r = await recommend(engine, {
        out: flags.out,
        ...(flags.scheme !== undefined ? { scheme: flags.scheme } : {}),
        ...(flags.tier !== undefined ? { tier: flags.tier } : {}),
        ...(flags.run !== undefined ? { run: flags.run } : {}),
        ...(flags.top !== undefined ? { top: flags.top } : {}),
        ...(flags.raw ? { raw: true } : {}),
        ...(flags.level !== undefined ? { level: flags.level } : {}),
        ...(flags.candidates !== undefined ? { candidates: flags.candidates } : {}),
        ...(flags.minCustomers !== undefined ? { minCustomers: flags.minCustomers } : {}),
        onStep: (s) => progress.update(0, 1, s),
      });
      progress.stop();
      if (flags.json) printJson(r);
      else printText(renderRecommendations(r));
    } finally {
      progress.stop();
      await engine.close();
    }
  });
}
