export { AuthError, isAuthError } from "../errors/auth-error.js";
export type { AuthErrorKind } from "../errors/auth-error.js";
export type { AccountSummary, AuthState } from "./auth-state.js";
export { AuthService } from "./auth-service.js";
export type {
  AccountRef,
  AuthServiceOptions,
  DeviceCodeSignInOptions,
  GetTokenOptions,
  SignInOptions,
  SignOutOptions,
  SignOutResult,
  TokenResult,
} from "./auth-service.js";
export type { DeviceCodeInfo } from "./device-code-run.js";
export { fileAuthorityMetadataStore } from "./authority-metadata.js";
export type { AuthorityMetadataStore } from "./authority-metadata.js";
export { systemBrowserOpener } from "./browser-opener.js";
export type { BrowserOpener } from "./browser-opener.js";
export type { AuthLog, AuthLogLevel } from "./msal-config.js";
