import { rm } from "node:fs/promises";
import { dirname, extname, join, resolve } from "node:path";
import type { Engine } from "../engine/engine.js";
import { placeStagedCsv } from "../engine/staged-output.js";
import { didYouMean, TierwiseError } from "../errors/index.js";
import { makeFolder } from "../files/make-folder.js";
import { stagingFolder } from "../files/output-file.js";
import { REP_LEVELS, type RepLevel } from "../plan/playbook.js";
import { findRun, planFromText, runsOfScheme } from "../run/runs.js";
import {
  changesExportSql,
  changesSql,
  convertChangesSql,
  createResultSql,
  currentRepsSql,
  insertAssignmentsSql,
  keptCountSql,
  levelCountsSql,
  nextBatchSql,
  pendingCountSql,
  placeSql,
  REP_TABLES,
  recordCountSql,
  repLevelsSql,
  repLoadsSql,
  repMovesSql,
  repsSql,
  scopeCustomersSql,
} from "../sql/decisions/reps.js";
import { createTempSql, dropTempSql } from "../sql/run/snapshot.js";

export interface AssignRepsOptions {
  /** The scheme whose tiers' playbooks name rep levels (default: the first such scheme of the latest run). */
  readonly scheme?: string;
  /** Compute and list the changes without recording them. */
  readonly dryRun?: boolean;
  /**
   * List at most this many changes and this many unassignable customers (by
   * customer id; default: all). The counts are always complete.
   */
  readonly limit?: number;
  /** Also write every change and unassignable customer to `FILE.csv`, `FILE.parquet` or `FILE.json`. */
  readonly out?: string;
  /** Write text cells as they are: no `'` before a cell starting with =, +, -, @, tab or CR (CSV files; docs/exports.md). */
  readonly raw?: boolean;
}

/** A customer whose rep changes (or who cannot get one), with the reason. */
export interface RepChange {
  readonly customerId: string;
  readonly tier: string;
  readonly from: string | null;
  /** null: no rep has room (unassignable). */
  readonly to: string | null;
  readonly reason: string;
}

export interface RepLoad {
  readonly repId: string;
  readonly level: RepLevel;
  readonly capacity: number | null;
  /** Customers after the assignment (including customers outside the scheme's scope who keep the rep). */
  readonly load: number;
  /** Customers who change to this rep. */
  readonly gained: number;
  /** Customers who leave this rep (to another rep, or unassignable). */
  readonly lost: number;
}

/** The customers needing one rep level, and what happens to them. */
export interface LevelCount {
  readonly level: RepLevel;
  readonly customers: number;
  /** Customers who keep their rep. */
  readonly kept: number;
  readonly changed: number;
  readonly unassignable: number;
}

export interface RepAssignment {
  /** The policy's locale and currency: the text rendering formats every number in them. */
  readonly locale: string;
  readonly currency: string;
  readonly scheme: string;
  readonly runId: number;
  readonly dryRun: boolean;
  /** The batch recorded in tw_rep_assignments (absent on a dry run or when nothing changed). */
  readonly batchId?: number;
  /** Tier → rep level needed, from the playbooks. */
  readonly needs: readonly { readonly tier: string; readonly level: RepLevel }[];
  /** Customers in the scope: graded into a tier whose playbook needs a rep. */
  readonly considered: number;
  /** Customers who stay with their current rep. */
  readonly kept: number;
  /** How many customers get a new rep (all of them, whatever the limit). */
  readonly changed: number;
  /** How many customers no eligible rep has room for. */
  readonly unassignableCount: number;
  /** Per level needed, highest first. */
  readonly levels: readonly LevelCount[];
  /** Customers who get a new rep, by customer id (at most `limit`). */
  readonly changes: readonly RepChange[];
  /** Customers no eligible rep has room for, by customer id (at most `limit`). */
  readonly unassignable: readonly RepChange[];
  readonly reps: readonly RepLoad[];
  /** The file every change and unassignable customer was written to (`out`). */
  readonly changesFile?: { readonly path: string; readonly rows: number };
}

interface Rep {
  repId: string;
  levelNo: number;
  capacity: number | null;
  load: number;
}

/**
 * How many of `count` customers each rep takes, filling the least loaded
 * first (water-filling): the loads end as even as the capacities allow.
 */
export function fillEvenly(reps: readonly Rep[], count: number): Map<string, number> {
  const room = (r: Rep) => (r.capacity === null ? Number.POSITIVE_INFINITY : Math.max(0, r.capacity - r.load));
  const total = reps.reduce((n, r) => n + Math.min(room(r), count), 0);
  const take = Math.min(count, total);
  const upTo = (level: number) => reps.reduce((n, r) => n + Math.min(room(r), Math.max(0, level - r.load)), 0);
  let lo = Math.min(...reps.map((r) => r.load), 0);
  let hi = Math.max(...reps.map((r) => r.load), 0) + take;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (upTo(mid) >= take) hi = mid;
    else lo = mid + 1;
  }
  // Everyone up to level lo − 1, then one more each (by load, then id) until `take` is placed.
  const out = new Map(reps.map((r) => [r.repId, Math.min(room(r), Math.max(0, lo - 1 - r.load))]));
  let left = take - [...out.values()].reduce((n, v) => n + v, 0);
  for (const r of [...reps].sort((a, b) => a.load - b.load || (a.repId < b.repId ? -1 : 1))) {
    if (left <= 0) break;
    const given = out.get(r.repId) ?? 0;
    if (given < room(r) && r.load + given === lo - 1) {
      out.set(r.repId, given + 1);
      left -= 1;
    }
  }
  return out;
}

const levelNo = (level: RepLevel) => REP_LEVELS.indexOf(level) + 1;

/** Stream every change and unassignable customer of the result table to `out` (the file appears only when complete). */
async function writeChanges(
  engine: Engine,
  out: string,
  rows: number,
  raw: boolean,
): Promise<{ path: string; rows: number }> {
  const target = resolve(out);
  await makeFolder(dirname(target));
  const dir = await stagingFolder(target, ".tierwise-reps-");
  try {
    const staging = join(dir, "changes.csv");
    await engine.exportCsv(changesExportSql(extname(out).toLowerCase() === ".csv" && !raw), staging);
    await placeStagedCsv(staging, target, dir, convertChangesSql);
    return { path: out, rows };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Assign service representatives to the customers of a scheme's latest run
 * (docs/schemes.md §8). A tier's playbook names the rep level its customers need;
 * a rep of that level or higher is eligible. A customer stays with their
 * current rep (their latest recorded assignment, else `customers.owner_rep_id`)
 * while that rep is eligible and has room (a rep's customers kept by need,
 * tier, value and id up to the capacity; customers outside the scope who
 * have the rep count in its load). Everyone else, highest level needed first
 * and by tier, value and id, goes to the eligible rep of the exact level
 * with the lowest load (then the next level up), never beyond a capacity:
 * customers no eligible rep has room for are listed as unassignable. Set-based
 * SQL over temporary tables; only the per-rep counts are computed here.
 * Unless `dryRun`, the changes are recorded in `tw_rep_assignments` (one row
 * per change, with the previous rep and the reason) in one transaction.
 * The counts (per level needed, per rep) are complete; the lists hold at most
 * `limit` rows each, and `out` streams all of them to a file (COPY, never
 * held in memory).
 *
 * @example
 * const a = await assignReps(store, { scheme: "value-grades", dryRun: true });
 * for (const c of a.changes) console.log(c.customerId, c.from, "→", c.to, c.reason);
 */
export async function assignReps(engine: Engine, options: AssignRepsOptions = {}): Promise<RepAssignment> {
  if (options.out !== undefined && ![".csv", ".json", ".parquet"].includes(extname(options.out).toLowerCase()))
    throw new TierwiseError("EXPORT_FORMAT", { path: options.out });
  const latest = await findRun(engine);
  const plan = planFromText(latest.policyText);
  const withReps = plan.schemes.filter((s) => s.entity === "customers" && s.playbooks?.some((p) => p.repLevel));
  const name = options.scheme ?? withReps[0]?.name;
  if (name === undefined) throw TierwiseError.of("option.no-rep-level-scheme", {});
  const runs = await runsOfScheme(engine, name);
  const run = runs[0];
  if (!run)
    throw new TierwiseError(
      "UNKNOWN_SCHEME",
      { scheme: name, where: "any stored run" },
      undefined,
      didYouMean(
        name,
        plan.schemes.map((s) => s.name),
      ) ?? undefined,
    );
  const scheme = planFromText(run.policyText).schemes.find((s) => s.name === name);
  const needs = (scheme?.tiers ?? []).map((tier) => scheme?.playbooks?.find((p) => p.tier === tier)?.repLevel);
  if (!needs.some((n) => n !== undefined)) throw TierwiseError.of("option.no-rep-level", { scheme: name });
  const tables = Object.values(REP_TABLES);
  try {
    await engine.exec(createTempSql(REP_TABLES.current, currentRepsSql()));
    await engine.exec(
      createTempSql(
        REP_TABLES.customers,
        scopeCustomersSql(
          run.runId,
          run.schemeNo,
          needs.map((n) => (n === undefined ? null : levelNo(n))),
        ),
      ),
    );
    await engine.exec(createTempSql(REP_TABLES.reps, repsSql()));
    await engine.exec(createResultSql());
    const reps: Rep[] = (await engine.query(repLoadsSql())).map((r) => ({
      repId: r.rep_id,
      levelNo: r.level_no,
      capacity: r.capacity,
      load: r.load,
    }));
    for (let need = REP_LEVELS.length; need >= 1; need--) {
      let pending = (await engine.query(pendingCountSql(need)))[0]?.n ?? 0;
      if (pending === 0) continue;
      const ranges: { repId: string; lo: number; hi: number }[] = [];
      let next = 1;
      // The exact level first, then each level up.
      for (let level = need; level <= REP_LEVELS.length && pending > 0; level++) {
        const group = reps.filter((r) => r.levelNo === level);
        const counts = fillEvenly(group, pending);
        for (const r of [...group].sort((a, b) => a.load - b.load || (a.repId < b.repId ? -1 : 1))) {
          const n = counts.get(r.repId) ?? 0;
          if (n === 0) continue;
          ranges.push({ repId: r.repId, lo: next, hi: next + n - 1 });
          next += n;
          pending -= n;
        }
        for (const r of group) r.load += counts.get(r.repId) ?? 0;
      }
      await engine.exec(placeSql(need, ranges));
    }
    const list = async (which: "changes" | "unassignable") =>
      (await engine.query(changesSql(which, options.limit))).map(
        (r): RepChange => ({
          customerId: r.customer_id,
          tier: r.tier,
          from: r.current_rep,
          to: r.rep_id,
          reason: r.reason,
        }),
      );
    const changes = await list("changes");
    const unassignable = await list("unassignable");
    const levels: LevelCount[] = (await engine.query(levelCountsSql())).map((r) => {
      const customers = r.customers;
      const changed = r.changed ?? 0;
      const none = r.unassignable ?? 0;
      return {
        level: REP_LEVELS[r.need - 1] ?? "standard",
        customers,
        kept: customers - changed - none,
        changed,
        unassignable: none,
      };
    });
    const kept = (await engine.query(keptCountSql()))[0]?.n ?? 0;
    const changed = levels.reduce((n, l) => n + l.changed, 0);
    const unassignableCount = levels.reduce((n, l) => n + l.unassignable, 0);
    const changesFile =
      options.out === undefined
        ? undefined
        : await writeChanges(engine, options.out, changed + unassignableCount, options.raw === true);
    let batchId: number | undefined;
    const toRecord = (await engine.query(recordCountSql()))[0]?.n ?? 0;
    if (!options.dryRun && toRecord > 0) {
      batchId = await engine.transaction(async () => {
        const id = (await engine.query(nextBatchSql()))[0]?.id ?? 1;
        const at = new Date().toISOString().replace("T", " ").slice(0, 23);
        await engine.exec(insertAssignmentsSql(id, at, run.runId, name));
        return id;
      });
    }
    const final = await engine.query(repLoadsSql());
    const levelOf = new Map((await engine.query(repLevelsSql())).map((r) => [r.rep_id, r.level]));
    const moves = new Map(
      (await engine.query(repMovesSql())).map((r) => [r.rep_id, { gained: r.gained, lost: r.lost }]),
    );
    return {
      locale: plan.locale,
      currency: plan.currency,
      scheme: name,
      runId: run.runId,
      dryRun: options.dryRun === true,
      ...(batchId !== undefined ? { batchId } : {}),
      needs: (scheme?.tiers ?? []).flatMap((tier, i) => {
        const level = needs[i];
        return level ? [{ tier, level }] : [];
      }),
      considered: levels.reduce((n, l) => n + l.customers, 0),
      kept,
      changed,
      unassignableCount,
      levels,
      changes,
      unassignable,
      reps: final.map((r) => ({
        repId: r.rep_id,
        level: (levelOf.get(r.rep_id) ?? "standard") as RepLevel,
        capacity: r.capacity,
        load: r.load,
        gained: moves.get(r.rep_id)?.gained ?? 0,
        lost: moves.get(r.rep_id)?.lost ?? 0,
      })),
      ...(changesFile ? { changesFile } : {}),
    };
  } finally {
    for (const table of tables) await engine.exec(dropTempSql(table)).catch(() => undefined);
  }
}
