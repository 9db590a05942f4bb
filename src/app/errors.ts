// The app layer's errors alone, for a surface that must start fast: importing index.ts loads MSAL and the keyring.
export { AuthError, isAuthError } from "../core/errors/auth-error.js";
export type { AuthErrorKind } from "../core/errors/auth-error.js";
export { ConfigError } from "../core/errors/config-error.js";
export { describeWriteFailure } from "../core/errors/atomic-write.js";
