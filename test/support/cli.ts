import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Engine } from "../../src/engine/engine.js";
import { openStore } from "../../src/store/index.js";

const ENTRY = fileURLToPath(new URL("./cli-entry.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** tsx's loader by absolute URL, so the CLI also runs with a current folder outside the repository. */
const TSX = new URL("./node_modules/tsx/dist/loader.mjs", pathToFileURL(ROOT)).href;

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the tierwise CLI from source in a child process (as a user would, without a TTY). */
export function runCli(args: readonly string[], env: Record<string, string> = {}, cwd = ROOT): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", TSX, ENTRY, ...args], {
      cwd,
      // no COLUMNS from the developer's shell: tables keep whole lines unless a test sets it
      env: { ...process.env, COLUMNS: "", ...env, NODE_NO_WARNINGS: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Start the tierwise CLI from source as a long-lived child (a server): the caller reads its streams and must kill it. */
export function spawnCli(args: readonly string[], env: Record<string, string> = {}, cwd = ROOT) {
  return spawn(process.execPath, ["--import", TSX, ENTRY, ...args], {
    cwd,
    env: { ...process.env, COLUMNS: "", ...env, NODE_NO_WARNINGS: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** A DuckDB store file in a fresh temp directory, filled by `fill` and closed: for CLI tests that read a known history. */
export async function seededStoreFile(prefix: string, fill: (engine: Engine) => Promise<unknown>): Promise<string> {
  const db = join(await mkdtemp(join(tmpdir(), prefix)), "shop.duckdb");
  const engine = await openStore(db);
  try {
    await fill(engine);
  } finally {
    await engine.close();
  }
  return db;
}

/** A `tierwise serve` child that has said where it listens. */
export interface ServingCli {
  readonly url: string;
  readonly child: ReturnType<typeof spawnCli>;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then the exit code (SIGKILL when it does not stop after `patience` checks of 100 ms). */
  stop(patience?: number): Promise<number | null>;
}

/** Start `tierwise serve ARGS --port 0` and wait for its "listening on URL" line (rejects if it exits first). */
export async function startServeCli(args: readonly string[], env: Record<string, string> = {}): Promise<ServingCli> {
  const child = spawnCli(["serve", "--port", "0", ...args], env);
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString("utf8");
  });
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString("utf8");
  });
  const url = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const m = /listening on (http:\/\/[^\s]+) /.exec(out);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout.on("data", look);
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
  return {
    url,
    child,
    stdout: () => out,
    stderr: () => err,
    stop: async (patience = 600) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      for (let i = 0; i < patience && child.exitCode === null && child.signalCode === null; i++)
        await new Promise((r) => setTimeout(r, 100));
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      return exited;
    },
  };
}
