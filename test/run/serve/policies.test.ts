import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRESETS_DIR, presetNames } from "../../../src/policy/presets.js";
import { countRowsSql } from "../../../src/sql/store/schema.js";
import { finished } from "./finished-job.js";
import { type Answer, call, get, type Served, served } from "./support.js";

const ABC = readFileSync(`${PRESETS_DIR}abc.yaml`, "utf8");
/** abc with A cut at 50%: c03 and c04 (71.4% above them) move from A to B (test/run/serve/support.ts). */
const ABC_50 = ABC.replace("{ name: A, up_to: 80 }", "{ name: A, up_to: 50 }");

interface Problem {
  code: string;
  severity: string;
  message: string;
  line?: number;
  column?: number;
}

describe("policies over HTTP: check, diff, activate, versions, the active policy, presets", () => {
  let s: Served;
  beforeAll(async () => {
    s = await served();
  });
  afterAll(async () => {
    await s?.close();
  });

  const post = (path: string, body: unknown, key = s.keys.analyst): Promise<Answer> =>
    call(s.app, "POST", path, key, body);

  it("checks a policy: ok with its schemes, or every problem with code and line:column", async () => {
    const good = await post("/policies/check", { policy: ABC_50 });
    expect(good.status).toBe(200);
    expect(good.body).toEqual({ ok: true, problems: [], schemes: [{ name: "abc", kind: "pareto", tiers: 3 }] });

    const typo = ABC.replace("metric: spend(12 months)", "metrc: spend(12 months)").replace("up_to: 95", "up_to: 9x5");
    const bad = await post("/policies/check", { policy: typo });
    expect(bad.status).toBe(200);
    const body = bad.body as { ok: boolean; problems: Problem[]; schemes: unknown[] };
    expect(body.ok).toBe(false);
    expect(body.schemes).toEqual([]);
    const lineOf = (text: string) => ABC.split("\n").findIndex((l) => l.includes(text)) + 1;
    expect(body.problems.length).toBeGreaterThanOrEqual(2);
    expect(body.problems.map((p) => p.line)).toEqual(
      expect.arrayContaining([lineOf("metric: spend"), lineOf("up_to: 95")]),
    );
    for (const p of body.problems) {
      expect(p.code).toMatch(/^(POLICY|EXPR)_/);
      expect(p.column).toBeGreaterThan(0);
    }
  });

  it("lists the presets with their descriptions", async () => {
    const r = await get(s.app, "/presets", s.keys.viewer);
    const items = (r.body as { items: { name: string; description: string }[] }).items;
    expect(items.map((p) => p.name)).toEqual(presetNames());
    expect(items.find((p) => p.name === "abc")?.description).toMatch(/^Pareto 80\/20 and ABC analysis/);
    expect(items.every((p) => p.description.length > 20)).toBe(true);
  });

  it("before any activation the active policy is the latest run's", async () => {
    const r = await get(s.app, "/policies/active", s.keys.viewer);
    expect(r.status).toBe(200);
    const runs = (await get(s.app, "/runs", s.keys.viewer)).body as { items: { runId: number; policyHash: string }[] };
    expect(r.body).toMatchObject({
      source: "latest run",
      version: null,
      author: null,
      policy_hash: runs.items[0]?.policyHash,
    });
    expect((r.body as { policy: string }).policy).toContain("kind: pareto");
  });

  it("previews a policy against the active one as a job: tiers before and after, the from→to matrix, movers", async () => {
    const started = await post("/policies/diff", { policy: ABC_50, as_of: "2026-01-01" });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ kind: "diff", created_by: "key-analyst" });
    const job = await finished(s, (started.body as { id: string }).id);
    expect(job.error).toBeNull();
    const w = job.result as unknown as {
      current: { source: string };
      schemes: {
        scheme: string;
        movers: number;
        unchanged: number;
        matrix: { from: string; to: string; entities: number }[];
        current: { tiers: { tier: string; entities: number }[] };
        proposed: { tiers: { tier: string; entities: number }[] };
      }[];
    };
    expect(w.current.source).toBe("latest run");
    const [abc] = w.schemes;
    expect(abc?.scheme).toBe("abc");
    expect(abc?.movers).toBe(2);
    expect(abc?.unchanged).toBe(11);
    expect(abc?.matrix.map((c) => [c.from, c.to, c.entities])).toEqual([
      ["A", "A", 2],
      ["A", "B", 2],
      ["B", "B", 8],
      ["C", "C", 1],
    ]);
    expect(abc?.current.tiers.map((t) => t.entities)).toEqual([4, 8, 1]);
    expect(abc?.proposed.tiers.map((t) => t.entities)).toEqual([2, 10, 1]);
    // a preview writes no run
    expect((await s.engine.query(countRowsSql("tw_runs")))[0]?.n).toBe(1);
  });

  it("activates a policy (admins only) as the next version, authored by the key's name; runs then use it", async () => {
    expect((await post("/policies", { policy: ABC_50 }, s.keys.analyst)).status).toBe(403);
    const first = await post("/policies", { policy: ABC_50 }, s.keys.admin);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ version: 1, author: "key-admin", created: true, warnings: [] });
    const again = await post("/policies", { policy: ABC_50 }, s.keys.admin);
    expect(again.body).toMatchObject({ version: 1, created: false });

    const active = (await get(s.app, "/policies/active", s.keys.viewer)).body as Record<string, unknown>;
    expect(active).toMatchObject({ source: "activated", version: 1, author: "key-admin", policy: ABC_50 });

    // a run without a policy grades by the active version: 2 in A now
    const started = await post("/runs", { as_of: "2026-01-01" });
    const job = await finished(s, (started.body as { id: string }).id);
    expect(job.error).toBeNull();
    const runId = job.result?.runs[0]?.run_id;
    const report = (await get(s.app, `/runs/${runId}/report`, s.keys.viewer)).body as {
      policyHash: string;
      schemes: { tiers: { entities: number }[] }[];
    };
    expect(report.policyHash).toBe(active["policy_hash"]);
    expect(report.schemes[0]?.tiers.map((t) => t.entities)).toEqual([2, 10, 1]);

    const second = await post("/policies", { presets: ["abc"] }, s.keys.admin);
    expect(second.body).toMatchObject({ version: 2, author: "key-admin", created: true });
    const history = (await get(s.app, "/policies", s.keys.viewer)).body as {
      versions: { version: number; author: string; runs: { run_id: number }[] }[];
      recorded: { policyHash: string; runs: { runId: number }[] }[];
    };
    expect(history.versions.map((v) => [v.version, v.author, v.runs.map((r) => r.run_id)])).toEqual([
      [2, "key-admin", [1]], // the preset abc is what the fixture's run 1 used
      [1, "key-admin", [runId]],
    ]);
    expect(history.recorded.flatMap((v) => v.runs.map((r) => r.runId))).toEqual([1, runId]);
  });

  it("an activation or a diff with a policy that does not check is a 422 listing every problem; nothing stored", async () => {
    const before = (await get(s.app, "/policies", s.keys.viewer)).body as { versions: unknown[] };
    const r = await post("/policies", { policy: "schemes:\n  - name: x\n    kind: nope\n" }, s.keys.admin);
    expect(r.status).toBe(422);
    const body = r.body as { code: string; message: string; details: Problem[] };
    expect(body.message).toMatch(/^policy:\d+:\d+ /);
    expect(body.details.length).toBeGreaterThan(0);
    const after = (await get(s.app, "/policies", s.keys.viewer)).body as { versions: unknown[] };
    expect(after.versions).toHaveLength(before.versions.length);
    expect((await post("/policies/diff", { policy: "schemes: [" })).status).toBe(422);
  });

  it.each([
    [
      "a YAML bomb",
      `a: &a ["x","x","x","x","x","x","x","x","x"]\n${Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`).join("\n")}\n`,
    ],
    ["deeply nested flow sequences", `schemes: ${"[".repeat(5000)}${"]".repeat(5000)}\n`],
    ["deeply nested block mappings", `${Array.from({ length: 1000 }, (_, i) => `${" ".repeat(i)}k:`).join("\n")} 1\n`],
    ["not YAML", "\u0000\u0001 {{{ ]]] : : :"],
    ["JSON of another shape", JSON.stringify({ hello: ["world"] })],
    ["a binary blob", Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString("latin1")],
  ])("POST /policies/check with %s answers ok: false with problems (never a 500)", async (_label, policy) => {
    const r = await post("/policies/check", { policy });
    expect(r.status).toBe(200);
    expect((r.body as { ok: boolean; problems: Problem[] }).ok).toBe(false);
    expect((r.body as { problems: Problem[] }).problems.length).toBeGreaterThan(0);
  });

  it.each([
    ["/policies/check", { policy: 42 }, "policy"],
    ["/policies/check", { policy: "" }, "policy"],
    ["/policies/check", {}, "policy"],
    ["/policies/check", { policy: "a: 1", extra: true }, "body"],
    ["/policies/diff", {}, "policy"],
    ["/policies/diff", { presets: ["abc"], as_of: "2999-01-01" }, "as_of"],
    ["/policies/diff", { presets: ["abc"], pairs: [{ current: "abc" }] }, "pairs.0.proposed"],
    ["/policies/diff", { policy: "a: 1", presets: ["abc"] }, "presets"],
    ["/policies", {}, "policy"],
    ["/policies", { presets: [1] }, "presets.0"],
  ])("POST %s %j is a 400 naming %s", async (path, body, field) => {
    const r = await post(path, body, s.keys.admin);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: "API_INVALID_REQUEST", field });
  });

  it("a policy over the body limit is a 413", async () => {
    const r = await post("/policies/check", { policy: `# ${"x".repeat(1024 * 1024)}\n` });
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ code: "API_BODY_TOO_LARGE" });
  });
});
