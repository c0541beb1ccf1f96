/**
 * `tierwise … | head` closes the pipe while the command is still writing. Node
 * then raises EPIPE on stdout, and an unhandled stream error would end the
 * command with a stack trace. A reader that has stopped reading is not a
 * failure: stop quietly with exit 0, as Unix tools do.
 */
export function endQuietlyWhenReaderCloses(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
}
