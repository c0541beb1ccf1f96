/**
 * Processes that share a store in the store-* hostile tests: a holder that
 * keeps a DuckDB file open (reading or writing) until released, and the
 * real CLI started in the background so a test can watch its stderr before
 * it ends. Every child is waited for: none outlives its test.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CliRun } from "../support/cli.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = new URL("./node_modules/tsx/dist/loader.mjs", pathToFileURL(ROOT)).href;
const HOLDER = fileURLToPath(new URL("./store-holder-child.ts", import.meta.url));
const ENTRY = fileURLToPath(new URL("../support/cli-entry.ts", import.meta.url));

/** A child process holding a store open. */
export interface Holder {
  readonly pid: number;
  /** Close the store and wait for the child to exit. */
  release(): Promise<void>;
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode);
    else child.on("close", (code) => done(code));
  });
}

/** Open `path` in a child process (`read`: read-only, `write`: read-write) and keep it open until `release()`. */
export function holdStore(path: string, mode: "read" | "write"): Promise<Holder> {
  const child = spawn(process.execPath, ["--import", TSX, HOLDER, path, mode], {
    cwd: ROOT,
    env: { ...process.env, NODE_NO_WARNINGS: "1" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString("utf8");
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString("utf8").includes("held")) {
        resolve({
          pid: child.pid ?? -1,
          release: async () => {
            child.stdin?.end();
            await exited(child);
          },
        });
      }
    });
    child.on("close", (code) => reject(new Error(`the store holder exited (${code}) before holding: ${stderr}`)));
  });
}

/** The CLI running in the background: its stderr so far, a wait for a text on it, and its end. */
export interface BackgroundCli {
  /** Resolves once stderr contains `text` (rejects if the process ends first). */
  stderrShows(text: string): Promise<void>;
  readonly done: Promise<CliRun>;
}

/**
 * Start `tierwise ARGS…` from source (as test/support/cli.ts runCli does)
 * without waiting for it; with `uid`, as that user (the test runs as root).
 */
export function startCli(args: readonly string[], uid?: number): BackgroundCli {
  const child = spawn(process.execPath, ["--import", TSX, ENTRY, ...args], {
    cwd: ROOT,
    env: { ...process.env, COLUMNS: "", NODE_NO_WARNINGS: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
  let stdout = "";
  let stderr = "";
  const watchers: { text: string; done: () => void }[] = [];
  child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString("utf8");
  });
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString("utf8");
    for (const w of watchers.splice(0)) {
      if (stderr.includes(w.text)) w.done();
      else watchers.push(w);
    }
  });
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    done,
    stderrShows: (text) =>
      new Promise((resolve, reject) => {
        if (stderr.includes(text)) return resolve();
        watchers.push({ text, done: resolve });
        void done.then((r) => reject(new Error(`the CLI ended (${r.code}) before "${text}": ${r.stderr}`)));
      }),
  };
}
