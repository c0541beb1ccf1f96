import { TierwiseError } from "./tierwise-error.js";

/**
 * What a file-system error code means, in words, in the two wordings
 * Tierwise prints: `use` for a path the user gave (`FILE_UNUSABLE`), `write`
 * for a file Tierwise writes beside its target (the rejects file,
 * `REJECTS_UNWRITABLE`), where a missing path is the folder. Only `use`
 * knows every code; `write` falls back to the error's own first line.
 */
const REASONS: Readonly<Record<string, { readonly use: string; readonly write?: string }>> = {
  ENOENT: { use: "no such file or folder", write: "the folder does not exist" },
  EACCES: { use: "permission denied", write: "permission denied" },
  EPERM: { use: "permission denied", write: "permission denied" },
  EISDIR: { use: "it is a folder, not a file", write: "it is a folder" },
  ENOTDIR: { use: "a part of the path is not a folder", write: "a part of the path is not a folder" },
  EROFS: { use: "the file system is read-only", write: "the file system is read-only" },
  ENOSPC: { use: "no space left on the device", write: "no space left on device" },
  EDQUOT: { use: "the disk quota is exhausted", write: "disk quota exceeded" },
  EEXIST: { use: "it exists already" },
  ENAMETOOLONG: { use: "the name is too long" },
  EMFILE: { use: "too many open files" },
  ELOOP: { use: "too many symbolic links" },
  EBUSY: { use: "it is busy" },
  EXDEV: { use: "it is on another file system" },
  EINVAL: { use: "the name is not valid here" },
};

/** An engine's error has no errno code; its message names the same failures (checked in this order, codes first). */
const MESSAGES: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/no space left/i, ["ENOSPC"]],
  [/read-only file ?system/i, ["EROFS"]],
  [/permission denied/i, ["EACCES", "EPERM"]],
  [/no such file or directory/i, ["ENOENT"]],
  [/quota/i, ["EDQUOT"]],
];

/**
 * A Node file-system error (reading or writing a path the user gave: an
 * output file in a missing or read-only folder, a folder given as a file)
 * as the coded `FILE_UNUSABLE` line naming the path; undefined for any
 * other error.
 */
export function fileSystemError(error: unknown): TierwiseError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, path } = error as NodeJS.ErrnoException;
  if (typeof code !== "string" || typeof path !== "string") return undefined;
  const reason = REASONS[code]?.use;
  return reason === undefined ? undefined : new TierwiseError("FILE_UNUSABLE", { path, reason });
}

/** Why a file could not be written, in words, from a Node or engine error (`REJECTS_UNWRITABLE`, `REJECTS_NOT_PLACED`). */
export function writeFailureReason(error: unknown): string {
  const errno = (error as NodeJS.ErrnoException | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const named = MESSAGES.find(([pattern, codes]) => codes.includes(errno ?? "") || pattern.test(message))?.[1][0];
  const code = named ?? errno;
  const reason = code === undefined ? undefined : REASONS[code]?.write;
  return reason ?? (message.split("\n")[0] ?? "").replace(/^[A-Za-z ]+Error: /, "");
}
