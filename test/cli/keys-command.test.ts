import { describe, expect, it } from "vitest";
import { grade, seed } from "../run/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

describe("tierwise keys and serve: usage and coded errors", () => {
  it("refuses bad roles, names and ports (exit 2), unknown and duplicate keys (exit 1)", async () => {
    const db = await seededStoreFile("tw-keys-", async (engine) => {
      await seed(engine, { customers: [{ customer_id: "c1" }] });
      await grade(engine, { presets: ["abc"] });
    });
    const badRole = await runCli(["keys", "create", "--role", "boss", "--name", "n", "--db", db]);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain("Allowed choices are viewer, analyst, admin, member");
    const noName = await runCli(["keys", "create", "--role", "viewer", "--db", db]);
    expect(noName.code).toBe(2);
    const badName = await runCli(["keys", "create", "--role", "viewer", "--name", "a b", "--db", db]);
    expect([badName.code, badName.stderr.trim()]).toEqual([
      2,
      'error: --name takes 1 to 64 letters, digits and . _ @ - (starting with a letter or digit), got "a b"',
    ]);
    expect((await runCli(["keys", "create", "--role", "admin", "--name", "ops", "--db", db])).code).toBe(0);
    const again = await runCli(["keys", "create", "--role", "viewer", "--name", "ops", "--db", db]);
    expect([again.code, again.stdout, again.stderr.trim()]).toEqual([
      1,
      "",
      "error: KEY_NAME_TAKEN: the store has an API key named ops already; revoke it first or choose another name",
    ]);
    const unknown = await runCli(["keys", "revoke", "nobody", "--db", db]);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([
      1,
      "error: KEY_NOT_FOUND: the store has no API key named nobody",
    ]);
    const revoked = await runCli(["keys", "revoke", "ops", "--db", db]);
    expect([revoked.code, revoked.stderr]).toEqual([0, "key ops revoked\n"]);
    expect((await runCli(["keys", "list", "--db", db])).stdout).toBe("no API keys\n");
    for (const port of ["70000", "-1", "http", "1.5"]) {
      const bad = await runCli(["serve", "--port", port, "--db", db]);
      expect([bad.code, bad.stderr.split("\n")[0]]).toEqual([
        2,
        `error: --port takes 0 to 65535 (0: any free port), got "${port}"`,
      ]);
    }
  });

  it("serve --help and keys --help fit 80 columns", async () => {
    for (const args of [
      ["serve", "--help"],
      ["keys", "create", "--help"],
      ["keys", "--help"],
    ]) {
      const r = await runCli(args, { COLUMNS: "80" });
      expect(r.code).toBe(0);
      for (const line of r.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    }
  });
});
