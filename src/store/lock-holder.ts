import { readFileSync } from "node:fs";
import { basename } from "node:path";

/** The process DuckDB names as holding a store's lock, as far as this machine can tell. */
export interface LockHolder {
  readonly pid: number;
  /** `tierwise run` for a Tierwise command, else the program's file name (`duckdb`, `python3`); never its arguments. */
  readonly program: string | null;
  /** When the process started, if /proc tells (Linux). */
  readonly startedAt: Date | null;
  /** Whether the holder opened the store only to read (DuckDB says a read-only open would succeed). */
  readonly reading: boolean;
}

/** A command-line argument that is Tierwise's CLI entry: the `tierwise` bin, or the source entry the tests run. */
const TIERWISE_ENTRY = /(^|[/\\])(tierwise(\.m?js)?|cli-entry\.ts)$/;

/**
 * `tierwise <command>` when the command line runs Tierwise, else the file
 * name of the program. Only the command word is kept: the rest of a command
 * line may hold paths or secrets that have no place in an error message.
 */
export function programOf(args: readonly string[]): string | null {
  if (args.length === 0) return null;
  const entry = args.findIndex((arg) => TIERWISE_ENTRY.test(arg));
  if (entry >= 0) {
    const command = args.slice(entry + 1).find((arg) => /^[a-z][a-z-]*$/.test(arg));
    return command ? `tierwise ${command}` : "tierwise";
  }
  return basename(args[0] ?? "") || null;
}

/** Linux: the program of `pid` from /proc/PID/cmdline, or null when it cannot be read. */
function programOfPid(pid: number): string | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return programOf(raw.split("\0").filter((part) => part !== ""));
  } catch {
    return null;
  }
}

/**
 * Linux: when `pid` started, from its start in clock ticks after boot
 * (/proc/PID/stat) and the time since boot (/proc/uptime): both count the
 * same clock, so this holds even where the recorded boot time does not.
 */
function startOfPid(pid: number): Date | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[19]);
    const uptime = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
    if (!Number.isFinite(ticks) || !Number.isFinite(uptime)) return null;
    // USER_HZ is 100 on every Linux build Node runs on.
    return new Date(Date.now() - (uptime - ticks / 100) * 1000);
  } catch {
    return null;
  }
}

/** The holder named in DuckDB's lock message ("Conflicting lock is held in /usr/bin/node (PID 1234)"), or null. */
export function lockHolderOf(message: string): LockHolder | null {
  const match = /Conflicting lock is held in (.*?) \(PID (\d+)\)/.exec(message);
  if (!match) return null;
  const pid = Number(match[2]);
  const program = programOfPid(pid) ?? (match[1] ? basename(match[1]) : null);
  return { pid, program, startedAt: startOfPid(pid), reading: /open this database in read-only mode/.test(message) };
}

/** "14:02:11" when `at` is today (UTC), else "2026-12-06 23:10:00". */
function startText(at: Date, now: Date): string {
  const iso = at.toISOString();
  return iso.slice(0, 10) === now.toISOString().slice(0, 10)
    ? iso.slice(11, 19)
    : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** "tierwise run (PID 123, writing, started 14:02:11 UTC)". */
export function describeHolder(holder: LockHolder): string {
  const parts = [`PID ${holder.pid}`, holder.reading ? "reading" : "writing"];
  if (holder.startedAt) parts.push(`started ${startText(holder.startedAt, new Date())} UTC`);
  return `${holder.program ?? "another process"} (${parts.join(", ")})`;
}
