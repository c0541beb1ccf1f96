import { readFileSync } from "node:fs";
import { CommanderError } from "commander";
import { UsageError } from "../errors/index.js";
import { buildProgram } from "./program.js";
import { debugRequested, EXIT_OK, EXIT_USAGE, reportError } from "./run-command.js";

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/** Run the CLI with `argv` (node, script, …args); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram(packageVersion());
  program.exitOverride();
  const overrideExit = (c: { commands: readonly unknown[]; exitOverride(): unknown }): void => {
    c.exitOverride();
    for (const sub of c.commands) overrideExit(sub as typeof c);
  };
  overrideExit(program);
  try {
    await program.parseAsync([...argv]);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.code === "commander.help"
      ) {
        return EXIT_OK;
      }
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof UsageError) return reportError(error, false);
    return reportError(error, debugRequested(argv));
  }
}
