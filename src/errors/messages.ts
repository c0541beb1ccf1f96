import type { Code } from "./codes.js";
import { EXPRESSION_MESSAGES } from "./expression-messages.js";
import { MAPPING_MESSAGES } from "./mapping-messages.js";
import { OPTION_MESSAGES } from "./option-messages.js";
import { POLICY_MESSAGES } from "./policy-messages.js";
import { fillTemplate, type TemplateParams } from "./template.js";

/**
 * The catalogue of messages whose code has more than one wording (the policy
 * checker's, the expression language's, a mapping's and a command option's):
 * each message id gives the stable code it reports under and its template.
 * A call site names the message and gives its parameters; it never writes
 * the text. Message ids are not shown to users and may change; codes may not.
 */
export const MESSAGE_TEXTS = {
  ...POLICY_MESSAGES,
  ...EXPRESSION_MESSAGES,
  ...MAPPING_MESSAGES,
  ...OPTION_MESSAGES,
} as const;

/** Any message id. */
export type MessageId = keyof typeof MESSAGE_TEXTS;
/** A message of the expression language (what an `ExpressionError` carries). */
export type ExpressionMessageId = keyof typeof EXPRESSION_MESSAGES;
/** A message of the policy checker or the expression language (what a `PolicyProblem` carries). */
export type CheckerMessageId = keyof typeof POLICY_MESSAGES | ExpressionMessageId;
/** A message of a command error (what `TierwiseError.of` raises). */
export type ErrorMessageId = keyof typeof MAPPING_MESSAGES | keyof typeof OPTION_MESSAGES;
/** The codes of command errors worded by a message of the catalogue. */
export type ErrorMessageCode = (typeof MESSAGE_TEXTS)[ErrorMessageId]["code"];

/** The code a message reports under. */
export type MessageCode<M extends MessageId> = (typeof MESSAGE_TEXTS)[M]["code"];

/** The parameters of a message: one per placeholder of its template. */
export type MessageTextParams<M extends MessageId> = TemplateParams<(typeof MESSAGE_TEXTS)[M]["text"]>;

/** A message with its placeholders filled (throws InternalError when one has no value). */
export function messageText<M extends MessageId>(id: M, params: MessageTextParams<M>): string {
  return fillTemplate(MESSAGE_TEXTS[id].text, params);
}

/** The code a message reports under. */
export function messageCode<M extends MessageId>(id: M): MessageCode<M> & Code {
  return MESSAGE_TEXTS[id].code;
}
