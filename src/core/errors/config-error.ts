import { AuthError, type AuthErrorOptions } from "./auth-error.js";

/**
 * A bad profile or config file: an AuthError of kind "config", so every layer handles one error type.
 * `message` names the profile, file and field and says what is wrong; `action` says how to fix it.
 */
export class ConfigError extends AuthError {
  /** The profile's key the problem is about (e.g. "clientId"), when it is about one: a form shows it beside that field. */
  readonly field: string | undefined;

  constructor(message: string, action: string, options?: AuthErrorOptions & { field?: string }) {
    super("config", message, action, options);
    this.field = options?.field;
  }
}
