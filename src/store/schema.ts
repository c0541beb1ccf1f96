import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { TABLES, tableDef } from "../model/index.js";
import { createApiKeyTableSql } from "../sql/store/api-keys.js";
import { createClvTablesSql } from "../sql/store/clv.js";
import { createEventTablesSql } from "../sql/store/events.js";
import { createLiveTablesSql } from "../sql/store/live.js";
import { createPolicyVersionTableSql } from "../sql/store/policy-versions.js";
import {
  createMetaSql,
  createTableSql,
  migrateToCreditNotesSql,
  migrateToRatingLogSql,
  migrateToSkippedCountSql,
  readSchemaVersionSql,
  STORE_SCHEMA_VERSION,
  writeSchemaVersionSql,
} from "../sql/store/schema.js";
import { createSnapshotTablesSql } from "../sql/store/snapshot.js";
import { createWebhookTablesSql } from "../sql/store/webhooks.js";

/** Create the canonical tables and bookkeeping tables if missing; refuse stores from a newer Tierwise. */
export async function ensureStoreSchema(engine: Engine, path = "store"): Promise<void> {
  await engine.exec(createMetaSql());
  const found = (await engine.query(readSchemaVersionSql()))[0]?.value;
  if (found !== undefined && Number(found) > STORE_SCHEMA_VERSION) {
    throw new TierwiseError("STORE_SCHEMA_NEWER", { path, found, known: STORE_SCHEMA_VERSION });
  }
  // A current store needs no DDL: on PostgreSQL even `… IF NOT EXISTS` takes locks that wait for a run being written.
  if (found !== undefined && Number(found) === STORE_SCHEMA_VERSION) return;
  for (const table of TABLES) await engine.exec(createTableSql(engine.dialect, table));
  await engine.exec(createSnapshotTablesSql());
  await engine.exec(createEventTablesSql());
  await engine.exec(createClvTablesSql());
  // Version 5: the API keys of `tierwise serve`; on PostgreSQL the indexes its customer reads use.
  await engine.exec(createApiKeyTableSql());
  // Version 6: the policy versions activated through `tierwise serve` (POST /policies); the ratings' audit log;
  // webhook endpoints registered through `tierwise serve` and the outbox's delivery claims; real-time
  // grading: the cut-offs of full runs and the live grades of events.
  await engine.exec(createPolicyVersionTableSql());
  await engine.exec(createWebhookTablesSql());
  await engine.exec(createLiveTablesSql());
  // Version 4: the webhook circuit breakers (tw_webhook_endpoints, with the event tables) and, on
  // PostgreSQL, the indexes of the snapshot and outbox tables, built once: CREATE INDEX takes a
  // lock that waits for every writer even when the index exists, so not on every open.
  if (found === undefined || Number(found) < 5) await engine.exec(engine.dialect.storeIndexes());
  if (found !== undefined && Number(found) < 2) {
    await engine.exec(migrateToCreditNotesSql(engine.dialect, tableDef("orders")));
  }
  if (found !== undefined && Number(found) < 3) await engine.exec(migrateToSkippedCountSql());
  if (found !== undefined && Number(found) < 6) await engine.exec(migrateToRatingLogSql());
  if (found === undefined || Number(found) < STORE_SCHEMA_VERSION) {
    await engine.exec(writeSchemaVersionSql(STORE_SCHEMA_VERSION));
  }
}
