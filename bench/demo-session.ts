import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AuthService } from "../src/core/auth/auth-service.js";
import type { Profile } from "../src/core/config/profile.js";
import { demoProfileConfig } from "../src/demo-idp/index.js";
import type { DemoUser } from "../src/demo-idp/index.js";
import { demoProfile, ScriptedBrowser } from "../test/core/auth/support/e2e-harness.js";
import { DemoBrowser } from "../test/e2e/support/demo-browser.js";
import { startDemoEnv } from "../test/e2e/support/demo-env.js";
import type { DemoEnv } from "../test/e2e/support/demo-env.js";

export interface DemoSession {
  env: DemoEnv;
  user: DemoUser;
  profile: Profile;
  /** Signed in as `user` by a real browser sign-in; MSAL's cache is in memory. */
  auth: AuthService;
  /** The same home as `env.home`, with a config file whose `demo` profile points at this IdP (for the CLI). */
  cliHome: string;
  close(): Promise<void>;
}

/** The demo IdP on a free port and one real sign-in through headless Chromium, as the benchmark's ground truth. */
export async function startDemoSession(): Promise<DemoSession> {
  const env = await startDemoEnv();
  try {
    const user = env.idp.users[0];
    if (!user) throw new Error("The demo IdP has no users.");
    const profile = demoProfile(env.idp);
    const acts = new ScriptedBrowser();
    const auth = new AuthService({ profile, openBrowser: acts.open });
    const browser = await DemoBrowser.launch(env.idp);
    try {
      const browsing = acts.will((url) => browser.completeSignIn(url, { user: user.username }));
      await Promise.all([auth.signIn({ timeoutMs: 60_000 }), browsing]);
    } finally {
      await browser.close();
    }
    // A config-file profile named `demo` wins over the built-in one, which assumes the IdP's default port.
    const config = { profiles: { demo: demoProfileConfig(env.home, env.idp.port) } };
    await writeFile(join(env.home, "config.json"), JSON.stringify(config, null, 2));
    return { env, user, profile, auth, cliHome: env.home, close: () => env.close() };
  } catch (error) {
    await env.close();
    throw error;
  }
}
