import type { FastifyInstance } from "fastify";
import type { Engine } from "../../../src/engine/engine.js";
import { buildServer, type ServerOptions } from "../../../src/serve/server.js";
import { API_KEY_ROLES, type ApiKeyRole, createApiKey } from "../../../src/store/api-keys.js";
import { type FixtureRow, grade, memoryStore, seed } from "../support.js";

/**
 * The served store of the serve tests, graded by the abc preset as of
 * 2026-01-01 (12-month spend; docs/schemes.md §5). Total spend 980:
 *   c01 400 (0% above) A · c02 300 (40.8%) A · c03, c04 100 each (71.4%, tied) A
 *   c05…c12 10 each (91.8%, tied) B · x 0 (100%) C
 * Names hold unicode, LIKE metacharacters and SQL.
 */
export const CUSTOMERS: readonly FixtureRow[] = [
  { customer_id: "c01", name: "Ada Lovelace" },
  { customer_id: "c02", name: "Łukasz Petrović" },
  { customer_id: "c03", name: "100% Pure_Oil" },
  { customer_id: "c04", name: "O'Brien'; DROP TABLE customers; --" },
  ...[5, 6, 7, 8, 9, 10, 11, 12].map((n) => ({ customer_id: `c${String(n).padStart(2, "0")}`, name: `Shop ${n}` })),
  { customer_id: "x", name: null },
];

const SPEND: Readonly<Record<string, number>> = { c01: 400, c02: 300, c03: 100, c04: 100 };

let seq = 0;
const orders: FixtureRow[] = CUSTOMERS.flatMap((c) => {
  const id = String(c["customer_id"]);
  if (id === "x") return [];
  return [
    { order_id: `o${++seq}`, customer_id: id, ordered_at: "2025-06-01", amount: SPEND[id] ?? 10, status: "completed" },
  ];
});

export interface Served {
  readonly engine: Engine;
  readonly app: FastifyInstance;
  /** One key per role. */
  readonly keys: Readonly<Record<ApiKeyRole, string>>;
  close(): Promise<void>;
}

/** A graded store with one key per role and the server over it (not listening: use `inject`). */
export async function served(options: Omit<ServerOptions, "logger"> = {}): Promise<Served> {
  const engine = await memoryStore();
  await seed(engine, { customers: CUSTOMERS, orders });
  await grade(engine, { presets: ["abc"] });
  const keys = {} as Record<ApiKeyRole, string>;
  for (const role of API_KEY_ROLES) keys[role] = await createApiKey(engine, `key-${role}`, role);
  const app = await buildServer(engine, { ...options, logger: false });
  await app.ready();
  return {
    engine,
    app,
    keys,
    close: async () => {
      await app.close();
      await engine.close();
    },
  };
}

export interface Answer {
  readonly status: number;
  /** The parsed JSON body, or the text when the answer is not JSON. */
  readonly body: unknown;
  readonly headers: Record<string, unknown>;
}

/** `GET path` with the key (if any); the status and the parsed JSON body. */
export function get(app: FastifyInstance, path: string, key?: string): Promise<Answer> {
  return call(app, "GET", path, key);
}

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** `METHOD path` with the key (if any) and a JSON body (if any). */
export async function call(
  app: FastifyInstance,
  method: Method,
  path: string,
  key?: string,
  body?: unknown,
): Promise<Answer> {
  const r = await app.inject({
    method,
    url: path,
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
    ...(body === undefined ? {} : { payload: body as object }),
  });
  const json = (r.headers["content-type"] ?? "").toString().includes("json");
  return { status: r.statusCode, body: json ? r.json() : r.body, headers: r.headers };
}
