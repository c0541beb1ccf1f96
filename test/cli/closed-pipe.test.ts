import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const GUARD = fileURLToPath(new URL("../../src/cli/closed-pipe.ts", import.meta.url));

/** Run a script that writes 8 MB to stdout; read 10 bytes, then close the pipe as `| head -c 10` would. */
async function closeEarly(guarded: boolean): Promise<{ code: number | null; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), "tw-pipe-"));
  const script = join(dir, "writer.ts");
  await writeFile(
    script,
    [
      guarded ? `import { endQuietlyWhenReaderCloses } from ${JSON.stringify(GUARD)};` : "",
      guarded ? "endQuietlyWhenReaderCloses();" : "",
      'const line = "x".repeat(1023) + "\\n";',
      "for (let i = 0; i < 8192; i++) process.stdout.write(line);",
    ].join("\n"),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
    });
    child.stdout.once("data", () => child.stdout.destroy());
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("a reader that stops reading (tierwise … | head)", () => {
  it("ends the command quietly with exit 0", async () => {
    const r = await closeEarly(true);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("without the guard Node would end with an EPIPE stack trace (the case the guard is for)", async () => {
    const r = await closeEarly(false);
    expect(r.stderr).toContain("EPIPE");
    expect(r.code).not.toBe(0);
  });
});
