export { ERROR_CODES, type ErrorCode, formatMessage, REJECT_CODES, type RejectCode } from "./codes.js";
export { didYouMean } from "./did-you-mean.js";
export { engineRangeError } from "./engine-range-error.js";
export { fileSystemError } from "./file-system-error.js";
export {
  formatLocation,
  InternalError,
  type SourceLocation,
  TierwiseError,
  TierwiseErrors,
  UsageError,
} from "./tierwise-error.js";
