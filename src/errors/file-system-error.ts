import { TierwiseError } from "./tierwise-error.js";

/** What a file-system error code means, in words for the person who gave the path. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a folder, not a file",
  ENOTDIR: "a part of the path is not a folder",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exhausted",
  EEXIST: "it exists already",
  ENAMETOOLONG: "the name is too long",
  EMFILE: "too many open files",
  ELOOP: "too many symbolic links",
  EBUSY: "it is busy",
  EXDEV: "it is on another file system",
  EINVAL: "the name is not valid here",
};

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
  const reason = REASONS[code];
  return reason === undefined ? undefined : new TierwiseError("FILE_UNUSABLE", { path, reason });
}
