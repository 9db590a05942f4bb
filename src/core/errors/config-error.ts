import { AuthError, type AuthErrorOptions } from "./auth-error.js";

/**
 * A bad profile or config file: an AuthError of kind "config", so every layer handles one error type.
 * `message` names the profile, file and field and says what is wrong; `action` says how to fix it.
 */
export class ConfigError extends AuthError {
  constructor(message: string, action: string, options?: AuthErrorOptions) {
    super("config", message, action, options);
  }
}
