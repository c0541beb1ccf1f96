import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

it("the library example (examples/grade.ts) runs end to end", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tw-example-"));
  const tsx = join("node_modules", ".bin", "tsx");
  const { stdout } = await run(tsx, ["examples/grade.ts", dir]);
  expect(stdout).toMatch(/^value-grades: VIP \d+, Gold \d+, Silver \d+, Regular \d+, Potential \d+$/m);
  expect(stdout).toMatch(/^rfm: Champions \d+, /m);
  expect(stdout).toMatch(/^C0000001 is \S+: /m);
  expect(stdout).toMatch(/^run 2: exported 500 grades to /m);
  const csv = await readFile(join(dir, "grades.csv"), "utf8");
  expect(csv).toMatch(/^C0000001,value-grades,(VIP|Gold),[12],/m);
});
