import { describe, expect, it } from "vitest";
import { fileSystemError, writeFailureReason } from "../../src/errors/index.js";

/** A Node file-system error with its errno code and path. */
function fsError(code: string, message = `${code}: failed`, path = "/out/x.csv"): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code, path });
}

describe("one wording of file-system errors, in its two forms", () => {
  it("words a path the user gave (FILE_UNUSABLE) and a file Tierwise writes (rejects file) from one table", () => {
    const both = (code: string) => [fileSystemError(fsError(code))?.oneLine(), writeFailureReason(fsError(code))];
    expect(both("ENOSPC")).toEqual([
      "FILE_UNUSABLE: cannot use /out/x.csv: no space left on the device",
      "no space left on device",
    ]);
    expect(both("ENOENT")).toEqual([
      "FILE_UNUSABLE: cannot use /out/x.csv: no such file or folder",
      "the folder does not exist",
    ]);
    expect(both("EISDIR")).toEqual([
      "FILE_UNUSABLE: cannot use /out/x.csv: it is a folder, not a file",
      "it is a folder",
    ]);
    expect(both("EPERM")).toEqual(["FILE_UNUSABLE: cannot use /out/x.csv: permission denied", "permission denied"]);
  });

  it("reads an engine's message when the error has no errno code, the errno code first when it has one", () => {
    expect(writeFailureReason(new Error("IO Error: No space left on device"))).toBe("no space left on device");
    expect(writeFailureReason(new Error("could not write: Read-only file system"))).toBe(
      "the file system is read-only",
    );
    expect(writeFailureReason(new Error("Disk quota exceeded"))).toBe("disk quota exceeded");
    expect(writeFailureReason(fsError("EPERM", "EPERM: over quota"))).toBe("permission denied");
    expect(writeFailureReason(fsError("EEXIST", "EEXIST: file already exists"))).toBe("EEXIST: file already exists");
    expect(writeFailureReason(new Error("IO Error: something else\nmore"))).toBe("something else");
    expect(fileSystemError(new Error("No space left on device"))).toBeUndefined();
  });
});
