import { ApiError } from "./api-error.js";

/**
 * The cursor of the lists paged by a numeric id (overrides, ratings):
 * opaque to callers, the last id of the page as base64url-encoded JSON.
 */
export function encodeIdCursor(lastId: number): string {
  return Buffer.from(JSON.stringify({ after: lastId }), "utf8").toString("base64url");
}

/** The id after which the next page starts; a 400 naming `cursor` when it is not one this server gave. */
export function decodeIdCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof value === "object" && value !== null && "after" in value) {
      const after = value.after;
      if (typeof after === "number" && Number.isSafeInteger(after) && after >= 0) return after;
    }
  } catch {
    // reported below
  }
  throw ApiError.invalid("cursor", "is not a cursor this server gave (pass next_cursor unchanged)");
}

/** One page of `rows` fetched with `limit + 1`: the page and the cursor of the next one (null on the last). */
export function pageOf<T>(rows: readonly T[], limit: number, idOf: (row: T) => number) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, next_cursor: rows.length > limit && last !== undefined ? encodeIdCursor(idOf(last)) : null };
}
