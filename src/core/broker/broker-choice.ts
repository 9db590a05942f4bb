import type { INativeBrokerPlugin } from "@azure/msal-node";
import type { Profile } from "../config/profile.js";
import { probeBroker } from "./broker-probe.js";
import type { BrokerProbe } from "./broker-probe.js";

export type SignInMethod = "broker" | "browser";

/** How a profile signs in, and why: for `entra-tray status` and the app. */
export interface BrokerChoice {
  method: SignInMethod;
  reason: string;
  /** Hand to AuthService (option `broker`) exactly when method is "broker". */
  plugin?: INativeBrokerPlugin;
}

const BROKER_NAMES: Partial<Record<NodeJS.Platform, string>> = {
  win32: "Web Account Manager",
  darwin: "the Enterprise SSO plug-in",
  linux: "Microsoft's identity broker",
};

export interface SignInMethodOptions {
  /** Asks the OS (default probeBroker); run only for profiles the broker could serve. Share one across profiles. */
  probe?: () => Promise<BrokerProbe>;
  platform?: NodeJS.Platform;
}

/**
 * The native broker signs in to Microsoft Entra ID (workforce) only: it talks to login.microsoftonline.com and its
 * clouds itself, so External ID tenants and other OpenID Providers always use the browser (and the broker's native
 * library is not even loaded for them).
 */
export async function chooseSignInMethod(profile: Profile, options: SignInMethodOptions = {}): Promise<BrokerChoice> {
  if (profile.authority.kind !== "entraId") {
    return {
      method: "browser",
      reason: `The native broker serves Microsoft Entra ID accounts only; ${profile.displayName} signs in in the browser.`,
    };
  }
  const probe = await (options.probe ?? probeBroker)();
  if (!probe.available || !probe.plugin) return { method: "browser", reason: probe.reason ?? "The native broker is not available." };
  const name = BROKER_NAMES[options.platform ?? process.platform] ?? "the native broker";
  return { method: "broker", reason: `Signs in through ${name}: device-bound tokens, single sign-on with the OS.`, plugin: probe.plugin };
}
