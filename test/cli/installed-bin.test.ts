/**
 * The `tierwise` command as `npm link` (or `npm install -g .`) installs it
 * from a clone: a link to bin/tierwise.js on the PATH, run from a folder
 * outside the repository. Presets, docs and package.json resolve relative to
 * the package, not the current folder. Uses the compiled dist/ (`npm run
 * build`; CI builds it before the tests).
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function tierwise(args: readonly string[], cwd: string, binDir: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      "tierwise",
      [...args],
      {
        cwd,
        env: { ...process.env, PATH: `${binDir}${delimiter}${process.env["PATH"] ?? ""}`, NODE_NO_WARNINGS: "1" },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("tierwise on the PATH, outside the clone", () => {
  it("prints its version and grades a small store from any folder", async () => {
    expect(existsSync(join(ROOT, "dist", "cli", "main.js")), "run `npm run build` first").toBe(true);
    const home = await mkdtemp(join(tmpdir(), "tw-bin-"));
    const binDir = join(home, "bin");
    await mkdir(binDir);
    await symlink(join(ROOT, "bin", "tierwise.js"), join(binDir, "tierwise"));
    const work = join(home, "work");
    await mkdir(join(work, "exports"), { recursive: true });

    const version = await tierwise(["--version"], work, binDir);
    expect(version.code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);

    await writeFile(join(work, "exports", "customers.csv"), "customer_id,name\nC1,Ann\nC2,Bob\n");
    await writeFile(
      join(work, "exports", "orders.csv"),
      "order_id,customer_id,ordered_at,amount,status\nO1,C1,2025-01-01,900,completed\nO2,C2,2025-02-01,40,completed\n",
    );
    const ingest = await tierwise(["ingest", "exports"], work, binDir);
    expect(ingest.stderr).toBe("");
    expect(ingest.code).toBe(0);
    expect(existsSync(join(work, "tierwise.duckdb"))).toBe(true);

    const run = await tierwise(["run", "--preset", "value-grades", "--as-of", "2026-01-01"], work, binDir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^run 1 as of 2026-01-01/);
    expect(run.stdout).toMatch(/value-grades \(\w+, customer-facing\): 2 customers graded/);

    const presets = await tierwise(["policy", "presets"], work, binDir);
    expect(presets.stdout).toContain(`value-grades\t${join(ROOT, "presets", "value-grades.yaml")}`);
  });
});
