import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ERROR_CODES, EXPRESSION_CODES, MESSAGE_TEXTS, POLICY_CODES, REJECT_CODES } from "../src/errors/index.js";

const cell = (text: string) => text.replaceAll("|", "\\|");

/** The message templates of each code worded by the message catalogue (src/errors/messages.ts), codes in the order of the sections. */
function messagesByCode(): Map<string, string[]> {
  const order = [...Object.keys(ERROR_CODES), ...Object.keys(POLICY_CODES), ...Object.keys(EXPRESSION_CODES)];
  const byCode = new Map<string, string[]>();
  for (const c of order) {
    const texts = Object.values(MESSAGE_TEXTS).flatMap((m) => (m.code === c ? [m.text] : []));
    if (texts.length > 0) byCode.set(c, texts);
  }
  return byCode;
}

function table(head: string, codes: Readonly<Record<string, string>>): string[] {
  const worded = messagesByCode();
  const rows = Object.entries(codes).map(([code, text]) => {
    const shown = worded.has(code) && text === "{detail}" ? "one of its [messages](#messages)" : cell(text);
    return `| \`${code}\` | ${shown} |`;
  });
  return [`| code | ${head} |`, "|---|---|", ...rows];
}

/** A template as inline code: double backticks, since a template may hold single ones. */
const code = (text: string) => `\`\` ${text} \`\``;

function messages(): string[] {
  return [...messagesByCode()].flatMap(([c, texts]) => [`### \`${c}\``, "", ...texts.map((t) => `- ${code(t)}`), ""]);
}

/** docs/errors.md, generated from the error catalogue (src/errors/codes.ts). */
export function errorsDoc(): string {
  return [
    "# Error codes",
    "",
    "<!-- Generated from src/errors/codes.ts and messages.ts by `npm run docs`; do not edit by hand. -->",
    "",
    "Every problem Tierwise reports has a stable code: scripts, rejects files and tests rely on it. A message's",
    "`{name}` parts are filled with the file, column, path or value at hand, never with customer data. The CLI",
    "prints a problem as one line, `error: CODE …`, and exits 1 (a wrong command line exits 2 and prints no",
    "code); `internal error: …` is a bug in Tierwise, please report it. See [ingest.md](ingest.md) for rejects,",
    "[policy.md](policy.md) and [expressions.md](expressions.md) for the policy checker.",
    "",
    "## Rejected rows",
    "",
    "A row of input data that cannot be loaded is rejected with one of these codes; the load goes on and the",
    "rejects file names each rejected row's file, line, column and code.",
    "",
    ...table("reason", REJECT_CODES),
    "",
    "## Errors that stop a command",
    "",
    ...table("message", ERROR_CODES),
    "",
    "## Policy problems",
    "",
    "`tierwise policy check` (and every command that reads a policy) reports these at the file, line and column",
    "of the problem, with a message naming the key or value and, where one helps, a hint.",
    "",
    ...table("meaning", POLICY_CODES),
    "",
    "## Expression problems",
    "",
    "Problems in an expression of a policy or mapping, at the line and column inside the file.",
    "",
    ...table("meaning", EXPRESSION_CODES),
    "",
    "## Messages",
    "",
    "The codes above whose wording depends on what went wrong have several messages, each with its own `{name}`",
    "parts (src/errors/messages.ts); a policy problem or mapping problem may add a hint in parentheses.",
    "",
    ...messages(),
  ]
    .join("\n")
    .replace(/\n+$/, "\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL("../docs/errors.md", import.meta.url), errorsDoc());
}
