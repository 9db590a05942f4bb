import type { DemoUser } from "../../../src/demo-idp/index.js";
import { useFileFixture } from "../../support/file-fixture.js";
import {
  abandonSignIn,
  completeDeviceCode,
  completeLogout,
  completeSignIn,
  launchDemoChromium,
} from "./demo-browser-steps.mjs";
import type { DemoChromium, SignInChoice } from "./demo-browser-steps.mjs";
import type { DemoEnv } from "./demo-env.js";

export interface SignInHow {
  /** A demo user's username. */
  user: string;
  /** Default: the demo user's own password. */
  password?: string;
  /** Default "approve". */
  consent?: "approve" | "deny";
}

/**
 * A person at a browser, for end-to-end tests: headless Debian Chromium with one profile (so the IdP's session
 * cookie persists between calls, like a real browser) that trusts the demo IdP's CA. Each call works in its
 * own tab, so `completeSignIn` can run from MSAL's `openBrowser` while MSAL waits on its loopback listener.
 */
export class DemoBrowser {
  private constructor(
    private readonly chromium: DemoChromium,
    private readonly users: readonly DemoUser[],
  ) {}

  /** `idp` is the running DemoIdp (or anything with its CA and users); `hostNames` resolve to 127.0.0.1. */
  static async launch(idp: { caPem: string; users: readonly DemoUser[] }, hostNames: string[] = []): Promise<DemoBrowser> {
    return new DemoBrowser(await launchDemoChromium({ caPem: idp.caPem, hostNames }), idp.users);
  }

  /** Signs in at the authorization URL MSAL opened; resolves once the app's loopback listener has answered. */
  completeSignIn(url: string, how: SignInHow): Promise<void> {
    return completeSignIn(this.chromium.context, url, this.choice(how));
  }

  /** Opens the sign-in page and leaves it there, as someone who walks away. */
  async abandon(url: string): Promise<void> {
    await abandonSignIn(this.chromium.context, url);
  }

  completeDeviceCode(verificationUri: string, userCode: string, how: SignInHow): Promise<void> {
    return completeDeviceCode(this.chromium.context, verificationUri, userCode, this.choice(how));
  }

  /** Opens a logout URL and confirms if asked; resolves on the "signed out" page or the post-logout redirect. */
  completeLogout(url: string): Promise<void> {
    return completeLogout(this.chromium.context, url);
  }

  close(): Promise<void> {
    return this.chromium.close();
  }

  private choice(how: SignInHow): SignInChoice {
    const password = how.password ?? this.users.find((user) => user.username === how.user)?.password;
    if (password === undefined) {
      const known = this.users.map((user) => user.username).join(", ");
      throw new Error(`No password for "${how.user}": pass one, or use a demo user (${known}).`);
    }
    return { user: how.user, password, ...(how.consent ? { consent: how.consent } : {}) };
  }
}

/**
 * One DemoBrowser for the whole test file, trusting `env()`'s IdP: launched before the first test, closed after
 * the last. Call it after `useDemoEnv`, and read `browser()` inside tests and hooks (it throws before the launch).
 */
export function useDemoBrowser(env: () => DemoEnv): () => DemoBrowser {
  return useFileFixture("The demo browser", () => DemoBrowser.launch(env().idp), (browser) => browser.close());
}
