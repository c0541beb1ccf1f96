/**
 * A fake terminal for progress tests: one screen that stdout and stderr
 * both write to, as on a real terminal. It understands what a progress
 * line may send — printable text, carriage return, line feed (the tty
 * driver turns it into CR LF) and "erase to end of line" (ESC [ K) — with
 * automatic wrap at the last column like xterm; any other control
 * character or escape sequence throws, so a test sees it.
 */
export class FakeTerminal {
  readonly rows: string[][] = [[]];
  row = 0;
  col = 0;
  private pendingWrap = false;

  constructor(readonly columns = 80) {}

  /** A stream for createProgress (`err` or `out`) writing to this screen. */
  stream(): { isTTY: true; columns: number; write: (text: string) => boolean } {
    return {
      isTTY: true,
      columns: this.columns,
      write: (text: string) => {
        this.write(text);
        return true;
      },
    };
  }

  write(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text[i] ?? "";
      if (c === "\r") {
        this.col = 0;
        this.pendingWrap = false;
      } else if (c === "\n") {
        this.newLine();
      } else if (c === "\x1b") {
        if (!text.startsWith("\x1b[K", i))
          throw new Error(`unexpected escape sequence ${JSON.stringify(text.slice(i, i + 8))}`);
        this.line().length = Math.min(this.line().length, this.col);
        i += 2;
      } else if (c < " " || c === "\x7f") {
        throw new Error(`unexpected control character ${JSON.stringify(c)}`);
      } else {
        if (this.pendingWrap) this.newLine();
        const line = this.line();
        while (line.length < this.col) line.push(" ");
        line[this.col] = c;
        if (this.col === this.columns - 1) this.pendingWrap = true;
        else this.col++;
      }
    }
  }

  /** The screen's lines, trailing spaces removed. */
  lines(): string[] {
    return this.rows.map((r) => r.join("").trimEnd());
  }

  private line(): string[] {
    let line = this.rows[this.row];
    if (!line) {
      line = [];
      this.rows[this.row] = line;
    }
    return line;
  }

  private newLine(): void {
    this.row++;
    this.col = 0;
    this.pendingWrap = false;
    this.line();
  }
}
