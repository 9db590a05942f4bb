import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDemoIdp } from "../../../src/demo-idp/index.js";
import type { DemoIdp, DemoIdpOptions, DemoUser } from "../../../src/demo-idp/index.js";
import { useFileFixture } from "../../support/file-fixture.js";
import { makeTempHome } from "../../support/temp-homes.js";

export { makeTempHome, useTempHomes, type TempHome } from "../../support/temp-homes.js";

/** The `$BROWSER` program for CLI tests: signs in (or out) in Chromium as the DEMO_* variables say. */
export const BROWSER_COMMAND = join(dirname(fileURLToPath(import.meta.url)), "browser-command.mjs");

export interface DemoEnv {
  home: string;
  idp: DemoIdp;
  /** The IdP's demo user number `index` (0 is alice, 1 is bob); throws when there is none. */
  user(index: number): DemoUser;
  /** Stops the IdP and deletes the home folder. */
  close(): Promise<void>;
}

/** A throwaway ENTRA_TRAY_HOME with a demo IdP on a free port. */
export async function startDemoEnv(options: Omit<DemoIdpOptions, "home" | "port"> = {}): Promise<DemoEnv> {
  const home = await makeTempHome();
  try {
    const idp = await startDemoIdp({ ...options, home: home.path, port: 0 });
    return {
      home: home.path,
      idp,
      user(index) {
        const found = idp.users[index];
        if (!found) throw new Error(`The demo IdP has no user #${index}; it has ${idp.users.length}.`);
        return found;
      },
      async close() {
        await idp.close();
        await home.remove();
      },
    };
  } catch (error) {
    await home.remove();
    throw error;
  }
}

/**
 * One demo environment for the whole test file: started before the first test, closed after the last.
 * Read `env()` inside tests and hooks (it throws before the start).
 */
export function useDemoEnv(options: Omit<DemoIdpOptions, "home" | "port"> = {}): () => DemoEnv {
  return useFileFixture("The demo environment", () => startDemoEnv(options), (env) => env.close());
}

export type SignInAnswer = "approve" | "deny" | "abandon";

/**
 * Environment variables that make `BROWSER_COMMAND` sign in as `user` (by username) against `idp`.
 * Merge them into the CLI's environment together with `ENTRA_TRAY_HOME`.
 */
export function browserCommandEnv(
  idp: DemoIdp,
  how: { user: string; password?: string; consent?: SignInAnswer },
): Record<string, string> {
  const user = idp.users.find((u) => u.username === how.user);
  if (!user) throw new Error(`There is no demo user "${how.user}"; pick one of ${idp.users.map((u) => u.username).join(", ")}.`);
  return {
    BROWSER: BROWSER_COMMAND,
    DEMO_USER: user.username,
    DEMO_PASSWORD: how.password ?? user.password,
    DEMO_CONSENT: how.consent ?? "approve",
    DEMO_CA_FILE: idp.caFile,
  };
}
