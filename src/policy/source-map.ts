import { type Document, isScalar, LineCounter, type Node, parseDocument } from "yaml";
import type { SourceLocation } from "../errors/index.js";

/** Path of keys and indexes from the document root to a node. */
export type YamlPath = readonly (string | number)[];

/**
 * A parsed YAML file that can say where any value is: the line and column of
 * a node by its path, and of a position inside an expression scalar.
 */
export class SourceMap {
  readonly doc: Document.Parsed;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
  }

  /** Location of an offset in the file. */
  at(offset: number): SourceLocation {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  /** The node at `path`, or the closest existing ancestor. */
  node(path: YamlPath): Node | undefined {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true) as Node | undefined;
      if (node && typeof node === "object" && "range" in node && node.range) return node;
    }
    return undefined;
  }

  /** Location of the value at `path` (or of its key when `key` is set and the map has it). */
  locate(path: YamlPath, key = false): SourceLocation {
    if (key && path.length > 0) {
      const parent = this.doc.getIn(path.slice(0, -1), true) as { items?: { key: Node }[] } | undefined;
      const pair = parent?.items?.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]);
      if (pair?.key.range) return this.at(pair.key.range[0]);
    }
    const node = this.node(path);
    return node?.range ? this.at(node.range[0]) : { file: this.file, line: 1, column: 1 };
  }

  /**
   * Location in the file of `line:column` (1-based) inside the expression
   * text held by the scalar at `path`. Exact for plain and quoted one-line
   * scalars and for literal blocks (`|`); otherwise the scalar's start.
   */
  locateInScalar(path: YamlPath, line: number, column: number): SourceLocation {
    const node = this.node(path);
    if (!node?.range || !isScalar(node)) return this.locate(path);
    const start = node.range[0];
    const source = this.text.slice(start, node.range[1]);
    if (node.type === "PLAIN" && !source.includes("\n") && line === 1) return this.at(start + column - 1);
    if ((node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE") && !source.includes("\n") && line === 1) {
      const unescaped = node.type === "QUOTE_DOUBLE" ? !source.includes("\\") : !source.slice(1, -1).includes("''");
      if (unescaped) return this.at(start + column);
    }
    if (node.type === "BLOCK_LITERAL") {
      const firstBreak = source.indexOf("\n");
      const bodyLines = source.slice(firstBreak + 1).split("\n");
      const first = bodyLines.find((x) => x.trim().length > 0) ?? "";
      const indent = first.length - first.trimStart().length;
      let offset = start + firstBreak + 1;
      for (let i = 0; i < line - 1 && i < bodyLines.length; i++) offset += (bodyLines[i] as string).length + 1;
      return this.at(offset + indent + column - 1);
    }
    return this.at(start);
  }
}
