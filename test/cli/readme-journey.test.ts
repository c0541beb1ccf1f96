/**
 * The README's commands work as written, in order: every `npx tierwise …`
 * line of the Quick start and Grading code blocks runs through the real CLI
 * in one fresh folder (as a reader who just typed them), exits 0 and prints
 * something. `npm …` lines are skipped. The inputs those lines take that no
 * README command creates are made here exactly as the README's prose says
 * (my-policy.yaml, raise-vip.yaml, the --policy-version hash).
 */
import { readFileSync } from "node:fs";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { displayWidth } from "../../src/cli/text-table.js";
import { PRESETS_DIR } from "../../src/policy/load-policy.js";
import { runCli } from "../support/cli.js";

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** The text of a `## heading` section, up to the next `## ` heading. */
function section(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section ## ${heading}`);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The lines of the ```sh blocks of a section. */
function shellLines(text: string): string[] {
  const lines: string[] = [];
  for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) lines.push(...(block[1] ?? "").split("\n"));
  return lines.filter((l) => l.trim() !== "");
}

interface Command {
  readonly line: string;
  readonly args: string[];
  /** `> file`: stdout goes to this file. */
  readonly redirect?: string;
}

/** Split a shell line into words: double quotes group, an unquoted `#` after a space starts a comment, `>` redirects. */
function parse(line: string): Command {
  const words: string[] = [];
  let word: string | null = null;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"') quoted = false;
      else word += c;
    } else if (c === '"') {
      quoted = true;
      word ??= "";
    } else if (c === " ") {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "#" && word === null) {
      break;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== null) words.push(word);
  const [npx, tierwise, ...rest] = words;
  if (npx !== "npx" || tierwise !== "tierwise") throw new Error(`not a tierwise line: ${line}`);
  const at = rest.indexOf(">");
  if (at < 0) return { line, args: rest };
  const redirect = rest[at + 1];
  return { line, args: rest.slice(0, at), ...(redirect ? { redirect } : {}) };
}

/** Sample data's shop-export block: a raw export generated, ingested with the shipped mapping, graded. */
const shopExport = [...section("Sample data").matchAll(/```sh\n[\s\S]*?```/g)]
  .map((m) => m[0])
  .filter((block) => block.includes("--style shop-export"));

const commands = ["Quick start", "Grading"]
  .flatMap((h) => shellLines(section(h)))
  .concat(shellLines(shopExport.join("\n")))
  .filter((l) => !/^(npm|git|cd|tierwise) /.test(l.trim()))
  .map((l) => parse(l.trim()));

describe("the README journey", () => {
  let cwd: string;

  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), "tw-readme-"));
    // As the Grading section says: my-policy.yaml is a copy of a preset, raise-vip.yaml one with VIP raised.
    const grading = section("Grading").replace(/\s+/g, " ");
    expect(grading).toContain(
      "e.g. `value-grades.yaml` to `my-policy.yaml`, and again to `raise-vip.yaml` with VIP's `min: 100000` raised to `min: 150000`",
    );
    const preset = await readFile(join(PRESETS_DIR, "value-grades.yaml"), "utf8");
    await writeFile(join(cwd, "my-policy.yaml"), preset);
    expect(preset).toMatch(/- name: VIP\n\s+min: 100000/);
    await writeFile(join(cwd, "raise-vip.yaml"), preset.replace(/(- name: VIP\n\s+min: )100000/, "$1150000"));
    // The shop-export lines name the example mapping as the repository holds it.
    await cp(fileURLToPath(new URL("../../examples", import.meta.url)), join(cwd, "examples"), { recursive: true });
  });

  it("starts with the demo and has the Grading commands", () => {
    expect(commands[0]?.args).toEqual(["demo"]);
    expect(commands.length).toBeGreaterThan(20);
    expect(shopExport).toHaveLength(1);
    expect(commands.at(-1)?.args.slice(0, 2)).toEqual(["run", "--preset"]);
  });

  for (const command of commands) {
    it(command.line, async () => {
      let args = command.args;
      const version = args.indexOf("--policy-version");
      if (version >= 0) {
        // "The hash of --policy-version is one that policy history prints."
        const history = await runCli(["policy", "history"], {}, cwd);
        const hash = /^([0-9a-f]{8,})\s/m.exec(history.stdout)?.[1];
        expect(hash, history.stdout + history.stderr).toBeDefined();
        args = args.map((a, i) => (i === version + 1 ? (hash as string) : a));
      }
      const started = Date.now();
      // as read on an 80-column terminal
      const run = await runCli(args, { COLUMNS: "80" }, cwd);
      console.log(`${((Date.now() - started) / 1000).toFixed(1)} s  tierwise ${args.join(" ")}`);
      expect(run.stderr, `${command.line}\n${run.stderr}`).not.toMatch(/^error|unexpected error|internal error/m);
      expect(run.code, `${command.line}\n${run.stderr}`).toBe(0);
      if (command.redirect) await writeFile(join(cwd, command.redirect), run.stdout);
      const output = run.stdout;
      // Something a reader can use: not an empty answer, not a table of zeros only.
      expect(output.replace(/\s/g, "").length, `${command.line} printed:\n${output}`).toBeGreaterThanOrEqual(20);
      expect(output, `${command.line} printed only zeros:\n${output}`).toMatch(/[1-9]/);
      // What a person reads fits 80 columns; JSON lines (the events feed, the schema) are for programs.
      // A command to copy (`  tierwise …`) is kept whole.
      const wide = output
        .split("\n")
        .filter((l) => displayWidth(l) > 80 && !/^\s*[[{"]/.test(l) && !l.startsWith("  tierwise "));
      expect(wide, `${command.line} printed lines wider than 80 columns`).toEqual([]);
    });
  }
});
