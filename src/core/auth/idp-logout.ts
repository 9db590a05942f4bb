import type { AccountInfo } from "@azure/msal-node";
import type { Profile } from "../config/profile.js";
import type { BrowserOpener } from "./browser-opener.js";
import { logoutUrlFor } from "./logout-url.js";
import type { AuthLog } from "./msal-config.js";
import type { ObservedNetworkModule } from "./msal-network.js";

export interface IdpLogout {
  /** The identity provider's logout URL, when it has one; it names the account by `logout_hint`, never by its ID token. */
  logoutUrl?: string;
  /** Set when the account was removed but the identity provider's session could not be ended. */
  warning?: string;
}

export interface IdpLogoutOptions {
  profile: Profile;
  network: ObservedNetworkModule;
  /** Opens the logout page; undefined leaves that to the user (the URL is returned). */
  openBrowser: BrowserOpener | undefined;
  /** A failure in a sentence, safe to show. */
  describe: (error: unknown) => string;
  log: AuthLog;
}

/** Ends the identity provider's browser session of an account already removed here: finds and opens its logout page. */
export async function endIdpSession(account: AccountInfo, options: IdpLogoutOptions): Promise<IdpLogout> {
  const warn = (error: unknown, what: string): IdpLogout => {
    const warning = `Signed out here, but the identity provider's session stays open: ${what} (${options.describe(error)})`;
    options.log("warning", warning);
    return { warning };
  };
  const loginHint = account.idTokenClaims?.login_hint;
  let logoutUrl: string | undefined;
  try {
    logoutUrl = await logoutUrlFor(
      options.profile,
      typeof loginHint === "string" ? { loginHint } : {},
      async (url) => (await options.network.sendGetRequestAsync(url)).body,
    );
  } catch (error) {
    return warn(error, "its logout endpoint could not be looked up");
  }
  if (!logoutUrl) return { warning: "Signed out here; the identity provider publishes no logout endpoint." };
  try {
    await options.openBrowser?.(logoutUrl);
  } catch (error) {
    return { logoutUrl, ...warn(error, "the logout page could not be opened") };
  }
  return { logoutUrl };
}
