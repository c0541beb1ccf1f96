import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Start-up cost of the BUILT command (`npm run build` first): the CPU time
 * (user + system) of `node bin/tierwise.js ARGS` for light command lines,
 * against `node -e 0` (Node's own start-up), alternating A B A B so the
 * shared machine's load falls on both alike. Each child reports its own
 * `process.cpuUsage()` when it exits (through an `--import`ed hook writing
 * to fd 3; the hook costs both sides the same), so figures have microsecond
 * resolution instead of the 10 ms ticks of /usr/bin/time. Medians of the
 * rounds; the ratio is the command's median over `node -e 0`'s.
 */
const ROUNDS = 7;
const BIN = fileURLToPath(new URL("../bin/tierwise.js", import.meta.url));
const BUILT = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
/** The hook, as ESM: `process.on("exit")` writing the child's CPU microseconds to fd 3. */
const HOOK =
  "data:text/javascript," +
  encodeURIComponent(
    'import { writeSync } from "node:fs";' +
      'process.on("exit", () => { const u = process.cpuUsage(); writeSync(3, String(u.user + u.system)); });',
  );

/** CPU microseconds of one `node ARGS` child (its stdout and stderr are dropped). */
function cpuOf(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", HOOK, ...args], {
      stdio: ["ignore", "ignore", "ignore", "pipe"],
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    let text = "";
    child.stdio[3]?.on("data", (d: Buffer) => {
      text += d.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const micros = Number(text);
      if (code !== 0 || !Number.isFinite(micros) || text === "")
        reject(new Error(`node ${args.join(" ")} exited ${code} without reporting its CPU time`));
      else resolve(micros);
    });
  });
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** `npm run bench -- startup`: medians of 7 alternated runs and each command line's ratio to `node -e 0`. */
export async function benchStartup(): Promise<void> {
  if (!existsSync(BUILT)) {
    process.stderr.write("bench startup measures the built command: run `npm run build` first\n");
    process.exitCode = 2;
    return;
  }
  const cases: { name: string; args: readonly string[] }[] = [
    { name: "node -e 0", args: ["-e", "0"] },
    { name: "tierwise --version", args: [BIN, "--version"] },
    { name: "tierwise --help", args: [BIN, "--help"] },
    { name: "tierwise run --help", args: [BIN, "run", "--help"] },
    { name: "tierwise policy presets", args: [BIN, "policy", "presets"] },
  ];
  const times = cases.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    // A B A B …: Node's own start-up before each command line, so both see the same load.
    for (const [i, c] of cases.entries()) {
      if (i > 0) times[0]?.push(await cpuOf(cases[0]?.args ?? []));
      times[i]?.push(await cpuOf(c.args));
    }
  }
  const base = median(times[0] ?? []);
  const ms = (micros: number) => `${(micros / 1000).toFixed(1).padStart(7)} ms`;
  process.stdout.write(`CPU time (user + system), median of ${ROUNDS} alternated runs, built CLI (dist/)\n`);
  for (const [i, c] of cases.entries()) {
    const m = median(times[i] ?? []);
    const ratio = i === 0 ? "" : `   ${(m / base).toFixed(2)}x node -e 0`;
    process.stdout.write(`${c.name.padEnd(26)} ${ms(m)}${ratio}\n`);
  }
  process.stdout.write("aim: tierwise --version within 2.5x node -e 0\n");
}
