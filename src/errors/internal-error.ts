/**
 * A broken invariant inside Tierwise: a bug, never something the user
 * caused. The CLI prints it as "internal error: …" and its stack under
 * --debug; anything a user can cause is a coded `TierwiseError` instead.
 */
export class InternalError extends Error {
  override readonly name = "InternalError";
}
