import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { IngestJobResult } from "../../../src/serve/ingest-schemas.js";
import { KEPT_REJECTS, KeptRejects } from "../../../src/serve/kept-rejects.js";
import { buildServer } from "../../../src/serve/server.js";
import { countRowsSql } from "../../../src/sql/store/schema.js";
import { createApiKey } from "../../../src/store/api-keys.js";
import { runCli } from "../../support/cli.js";
import { memoryStore } from "../support.js";
import { get } from "./support.js";

/** A file part of a multipart body: its part name, file name and bytes. */
interface Part {
  readonly field: string;
  readonly filename: string;
  readonly content: string | Buffer;
}

/** A multipart/form-data body built by hand (RFC 7578), with its content type. */
function multipart(parts: readonly Part[]): { payload: Buffer; contentType: string } {
  const boundary = `----tierwise${randomBytes(8).toString("hex")}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.field}"; filename="${p.filename}"\r\n` +
          "Content-Type: application/octet-stream\r\n\r\n",
      ),
      Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content),
      Buffer.from("\r\n"),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const CUSTOMERS = "customer_id,name\nk1,Ann\nk2,Bob\nk3,Cy\n";
/** O2's customer is unknown (UNKNOWN_REFERENCE), O3's amount no number (NOT_A_NUMBER). */
const ORDERS =
  "order_id,customer_id,ordered_at,amount\nO1,k1,2025-01-01,10\nO2,k9,2025-01-01,5\nO3,k2,2025-01-02,abc\nO4,k3,2025-01-03,7.5\n";

interface Job {
  id: string;
  kind: string;
  status: string;
  created_by: string;
  result: unknown;
  error: { code: string; message: string } | null;
}

describe("POST /ingest: multipart upload ingested as a job, as tierwise ingest does", () => {
  let engine: Engine;
  let app: FastifyInstance;
  let analyst: string;
  let viewer: string;
  beforeAll(async () => {
    engine = await memoryStore();
    analyst = await createApiKey(engine, "uploader", "analyst");
    viewer = await createApiKey(engine, "reader", "viewer");
    app = await buildServer(engine, {
      logger: false,
      upload: { fileBytes: 4096, requestBytes: 6000, files: 4 },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await engine?.close();
  });

  const upload = (parts: readonly Part[], key = analyst) => {
    const { payload, contentType } = multipart(parts);
    return app.inject({
      method: "POST",
      url: "/ingest",
      headers: { authorization: `Bearer ${key}`, "content-type": contentType },
      payload,
    });
  };

  /** Poll the job until it ends (bounded by count, not time). */
  async function finished(id: string): Promise<Job> {
    for (let i = 0; i < 5000; i++) {
      const r = await get(app, `/jobs/${id}`, viewer);
      const job = r.body as Job;
      if (job.status === "succeeded" || job.status === "failed") return job;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`job ${id} did not end after 5000 polls`);
  }

  const uploadDirs = async () => (await readdir(tmpdir())).filter((n) => n.startsWith("tierwise-ingest-"));

  it("counts and rejects equal `tierwise ingest` of the same files; the temporary folder goes", async () => {
    const before = await uploadDirs();
    const r = await upload([
      { field: "files", filename: "customers.csv", content: CUSTOMERS },
      { field: "files", filename: "orders.csv", content: ORDERS },
    ]);
    expect(r.statusCode, r.body).toBe(202);
    const accepted = r.json() as Job;
    expect(accepted).toMatchObject({ kind: "ingest", created_by: "uploader" });
    const job = await finished(accepted.id);
    expect(job.error).toBeNull();
    const result = IngestJobResult.parse(job.result);
    expect(result.rejected).toBe(2);
    expect(result.tables.map((t) => [t.table, t.read, t.inserted, t.rejected])).toEqual([
      ["customers", 3, 3, 0],
      ["orders", 4, 2, 2],
    ]);
    expect((await engine.query(countRowsSql("orders")))[0]?.n).toBe(2);
    expect(await uploadDirs()).toEqual(before);

    const dir = await mkdtemp(join(tmpdir(), "tw-serve-ingest-"));
    await writeFile(join(dir, "customers.csv"), CUSTOMERS);
    await writeFile(join(dir, "orders.csv"), ORDERS);
    const out = await mkdtemp(join(tmpdir(), "tw-serve-ingest-db-"));
    const cli = await runCli(["ingest", dir, "--db", join(out, "s.duckdb"), "--rejects", join(out, "r.csv"), "--json"]);
    expect(cli.code, cli.stderr).toBe(0);
    const expected = JSON.parse(cli.stdout) as { tables: unknown; timeZone: string };
    expect(result.tables).toEqual(expected.tables);
    expect(result.timeZone).toBe(expected.timeZone);

    const csv = await app.inject({
      method: "GET",
      url: result.rejects,
      headers: { authorization: `Bearer ${analyst}` },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.body).toBe(await readFile(join(out, "r.csv"), "utf8"));
    expect(csv.body).toContain("UNKNOWN_REFERENCE");
    expect(csv.body).toContain("NOT_A_NUMBER");
    // The rejects hold rows: readers of jobs may not fetch them.
    expect((await get(app, result.rejects, viewer)).status).toBe(403);
  });

  it("re-sending the same files changes nothing (unchanged rows)", async () => {
    const r = await upload([
      { field: "files", filename: "customers.csv", content: CUSTOMERS },
      { field: "files", filename: "orders.csv", content: ORDERS },
    ]);
    const result = IngestJobResult.parse((await finished((r.json() as Job).id)).result);
    expect(result.tables.map((t) => [t.table, t.inserted, t.unchanged])).toEqual([
      ["customers", 0, 3],
      ["orders", 0, 2],
    ]);
  });

  it("takes a mapping: a file it names, its renamed columns", async () => {
    const r = await upload([
      {
        field: "mapping",
        filename: "m.yaml",
        content: "tables:\n  customers:\n    file: clients.csv\n    columns: { customer_id: Id }\n",
      },
      { field: "files", filename: "clients.csv", content: "Id,name\nk4,Di\n" },
    ]);
    expect(r.statusCode, r.body).toBe(202);
    const job = await finished((r.json() as Job).id);
    const result = IngestJobResult.parse(job.result);
    expect(result.tables.map((t) => [t.table, t.file, t.inserted])).toEqual([["customers", "clients.csv", 1]]);
  });

  it("takes the formats the CLI reads: NDJSON and gzip CSV", async () => {
    const { gzipSync } = await import("node:zlib");
    const r = await upload([
      { field: "files", filename: "customers.ndjson", content: '{"customer_id":"k5","name":"Eve"}\n' },
      {
        field: "files",
        filename: "orders.csv.gz",
        content: gzipSync("order_id,customer_id,ordered_at,amount\nO5,k5,2025-02-01,3\n"),
      },
    ]);
    expect(r.statusCode, r.body).toBe(202);
    const result = IngestJobResult.parse((await finished((r.json() as Job).id)).result);
    expect(result.tables.map((t) => [t.table, t.format, t.inserted])).toEqual([
      ["customers", "ndjson", 1],
      ["orders", "csv", 1],
    ]);
  });

  it("a file missing a required column fails the job with the CLI's code; the store is untouched", async () => {
    const before = (await engine.query(countRowsSql("orders")))[0]?.n;
    const r = await upload([
      { field: "files", filename: "customers.csv", content: CUSTOMERS },
      { field: "files", filename: "orders.csv", content: "order_id,amount\nO9,1\n" },
    ]);
    expect(r.statusCode).toBe(202);
    const job = await finished((r.json() as Job).id);
    expect(job.status).toBe("failed");
    expect(job.error?.code).toBe("INGEST_REFUSED");
    expect(job.error?.message).not.toContain(tmpdir());
    expect((await engine.query(countRowsSql("orders")))[0]?.n).toBe(before);
    const dir = await mkdtemp(join(tmpdir(), "tw-serve-ingest-bad-"));
    await mkdir(join(dir, "in"));
    await writeFile(join(dir, "in", "customers.csv"), CUSTOMERS);
    await writeFile(join(dir, "in", "orders.csv"), "order_id,amount\nO9,1\n");
    const cli = await runCli(["ingest", join(dir, "in"), "--db", join(dir, "s.duckdb")]);
    expect(cli.code).toBe(1);
    const problems = cli.stderr.trim().split("\n");
    expect(problems.length).toBe(2);
    for (const line of problems) expect(job.error?.message).toContain(line.replace(/^error: /, ""));
  });

  it.each([
    [[{ field: "files", filename: "customer.csv", content: CUSTOMERS }], "files", "customer.csv"],
    [[{ field: "files", filename: "notes.txt", content: "x" }], "files", "notes.txt"],
    [[{ field: "files", filename: "customers*.csv", content: CUSTOMERS }], "files", "customers*.csv"],
    [[{ field: "files", filename: "kunden ü.csv", content: CUSTOMERS }], "files", "kunden"],
    [[{ field: "files", filename: ".customers.csv", content: CUSTOMERS }], "files", ".customers.csv"],
    [[{ field: "data", filename: "customers.csv", content: CUSTOMERS }], "data", "files"],
    [
      [
        { field: "files", filename: "customers.csv", content: CUSTOMERS },
        { field: "files", filename: "customers.csv", content: CUSTOMERS },
      ],
      "files",
      "twice",
    ],
    [[{ field: "mapping", filename: "m.yaml", content: "tables: [" }], "mapping", "mapping"],
    [[{ field: "mapping", filename: "m.yaml", content: "version: 1\n" }], "files", "no data file"],
  ])("%j is a 400 naming the part %s; no job, no folder left", async (parts, field, text) => {
    const before = await uploadDirs();
    const jobs = ((await get(app, "/jobs", viewer)).body as { items: unknown[] }).items.length;
    const r = await upload(parts);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json()).toMatchObject({ code: "API_INVALID_REQUEST", field });
    expect(r.json().message).toContain(text);
    expect(await uploadDirs()).toEqual(before);
    expect(((await get(app, "/jobs", viewer)).body as { items: unknown[] }).items.length).toBe(jobs);
  });

  it("a file over the limit, or a request over the total, is a 413 naming it; no job, no folder left", async () => {
    const before = await uploadDirs();
    const big = await upload([{ field: "files", filename: "customers.csv", content: "x".repeat(4097) }]);
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: "API_FILE_TOO_LARGE", field: "files: customers.csv" });
    const total = await upload([
      { field: "files", filename: "customers.csv", content: "x".repeat(4000) },
      { field: "files", filename: "orders.csv", content: "x".repeat(4000) },
    ]);
    expect(total.statusCode).toBe(413);
    expect(total.json()).toMatchObject({ code: "API_BODY_TOO_LARGE" });
    const many = await upload(
      ["customers", "orders", "order_lines", "invoices", "interactions"].map((t) => ({
        field: "files",
        filename: `${t}.csv`,
        content: "a\n",
      })),
    );
    expect(many.statusCode).toBe(400);
    expect(many.json()).toMatchObject({ field: "files" });
    expect(await uploadDirs()).toEqual(before);
  });

  it("a JSON body is refused; other routes keep their JSON body handling", async () => {
    const r = await app.inject({
      method: "POST",
      url: "/ingest",
      headers: { authorization: `Bearer ${analyst}`, "content-type": "application/json" },
      payload: "{}",
    });
    expect(r.statusCode).toBe(400);
    const { payload, contentType } = multipart([{ field: "files", filename: "customers.csv", content: CUSTOMERS }]);
    const other = await app.inject({
      method: "POST",
      url: "/overrides",
      headers: { authorization: `Bearer ${analyst}`, "content-type": contentType },
      payload,
    });
    expect(other.statusCode).toBe(415);
  });

  it("the OpenAPI document shows the parts and the rejects file's media type", async () => {
    const doc = (await get(app, "/openapi.json")).body as {
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
    };
    expect(doc.paths["/ingest"]?.["post"]?.requestBody).toMatchObject({
      content: {
        "multipart/form-data": {
          schema: {
            properties: { files: { type: "array", items: { format: "binary" } }, mapping: { format: "binary" } },
          },
        },
      },
    });
    expect(doc.paths["/jobs/{id}/rejects"]?.["get"]?.responses["200"]).toMatchObject({
      content: { "text/csv": { schema: { type: "string" } } },
    });
  });

  it("the rejects of an unknown job, or of a job that is not an ingest, are a 404", async () => {
    const r = await get(app, "/jobs/none/rejects", analyst);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: "API_NO_REJECTS" });
  });
});

describe("the kept rejects files", () => {
  it("keeps those of the last ingests, drops the oldest, removes the folder on close", async () => {
    const kept = new KeptRejects();
    const paths: string[] = [];
    for (let i = 0; i <= KEPT_REJECTS; i++) {
      const path = await kept.newPath();
      await writeFile(path, `file ${i}\n`);
      await kept.keep(`job-${i}`, path);
      paths.push(path);
    }
    expect(kept.get("job-0")).toBeUndefined();
    await expect(readFile(paths[0] ?? "")).rejects.toThrow();
    expect(await readFile(kept.get(`job-${KEPT_REJECTS}`) ?? "", "utf8")).toBe(`file ${KEPT_REJECTS}\n`);
    await kept.close();
    await expect(readFile(paths[1] ?? "")).rejects.toThrow();
    expect(kept.get("job-1")).toBeUndefined();
  });
});
