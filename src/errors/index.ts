export { CodedError } from "./coded-error.js";
export {
  type Code,
  ERROR_CODES,
  type ErrorCode,
  EXPRESSION_CODES,
  type ExpressionCode,
  formatMessage,
  MESSAGES,
  type MessageParams,
  POLICY_CODES,
  type PolicyCode,
  REJECT_CODES,
  type RejectCode,
} from "./codes.js";
export { didYouMean } from "./did-you-mean.js";
export { engineRangeError } from "./engine-range-error.js";
export { fileSystemError, writeFailureReason } from "./file-system-error.js";
export {
  type CheckerMessageId,
  type ErrorMessageId,
  type ExpressionMessageId,
  MESSAGE_TEXTS,
  type MessageCode,
  type MessageId,
  type MessageTextParams,
  messageCode,
  messageText,
} from "./messages.js";
export {
  formatLocation,
  InternalError,
  type SourceLocation,
  TierwiseError,
  TierwiseErrors,
  UsageError,
} from "./tierwise-error.js";
