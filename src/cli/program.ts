import { Command } from "commander";
import { registerDemo } from "./commands/demo.js";
import { registerGenerate } from "./commands/generate.js";
import { registerIngest } from "./commands/ingest.js";
import { registerInit } from "./commands/init.js";
import { registerSummary } from "./commands/summary.js";

/** The `tierwise` command with every subcommand registered. */
export function buildProgram(version: string): Command {
  const program = new Command("tierwise")
    .description("Tierwise grades customers: ingest your data, run tiering policies, explain every grade.")
    .version(version)
    .option("--debug", "show stack traces of unexpected errors")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ outputError: (text, write) => write(text) });
  registerInit(program);
  registerGenerate(program);
  registerIngest(program);
  registerSummary(program);
  registerDemo(program);
  for (const command of program.commands) command.option("--debug", "show stack traces of unexpected errors");
  return program;
}
