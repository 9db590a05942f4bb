import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { AppContext } from "../src/app/index.js";
import { TrayPresenter } from "../src/main/tray-presenter.js";
import { demoProfileConfig } from "../src/demo-idp/index.js";
import { ScriptedBrowser } from "../test/core/auth/support/e2e-harness.js";
import { DemoBrowser } from "../test/e2e/support/demo-browser.js";
import { nodeSettings } from "../test/support/node-settings.js";
import type { DemoSession } from "./demo-session.js";
import { fmt, quantile, ratio } from "./report.js";
import type { Table } from "./report.js";

const PRESSES = 2_000;
const SILENT_PRESSES = 400;

/**
 * Part 4: a shortcut press, from the key to the clipboard write, through the tray's real presenter and app layer
 * (the clipboard is a fake that keeps the text), against MSAL's acquireTokenSilent per press (Microsoft's samples).
 */
export async function measureShortcutPress({ env, auth, user }: DemoSession): Promise<Table> {
  const home = await mkdtemp(join(tmpdir(), "entra-tray-bench-"));
  const acts = new ScriptedBrowser();
  // No keyring in this process: the app keeps the sign-in in memory, which is what a press reads anyway.
  const { DBUS_SESSION_BUS_ADDRESS: _bus, ...processEnv } = process.env;
  const context = new AppContext({ env: { ...processEnv, ENTRA_TRAY_HOME: home }, openBrowser: acts.open, watchIntervalMs: false });
  let text = "";
  const { panel } = await nodeSettings(home);
  // Each press writes the clipboard; a clear timer per press is not what is measured.
  panel.save({ clipboardClearSeconds: 0 });
  const presenter = new TrayPresenter(context, {
    clipboard: { writeSecret: async (value) => void (text = value), writeText: async (value) => void (text = value), readText: async () => text, clear: async () => void (text = "") },
    windowHandle: () => undefined,
    openConfigFile: async () => undefined,
    settings: panel,
    startDemo: async () => undefined,
  });
  const browser = await DemoBrowser.launch(env.idp);
  try {
    await writeFile(join(home, "config.json"), JSON.stringify({ profiles: { demo: demoProfileConfig(env.home, env.idp.port) } }));
    await presenter.start();
    const signedIn = new Promise<void>((resolve) => presenter.onDidChange(() => presenter.trayModel().status === "signedIn" && resolve()));
    const browsing = acts.will((url) => browser.completeSignIn(url, { user: user.username }));
    presenter.signIn(false);
    await Promise.all([signedIn, browsing]);

    const press: number[] = [];
    const silent: number[] = [];
    for (let i = 0; i < 100; i++) await presenter.shortcutCopy();
    const requestsBefore = env.idp.tokenRequests();
    for (let i = 0; i < PRESSES; i++) {
      const started = performance.now();
      const outcome = await presenter.shortcutCopy();
      press.push((performance.now() - started) * 1000);
      if (!outcome.copied) throw new Error(`A press copied nothing: ${outcome.problem.message}`);
    }
    for (let i = 0; i < SILENT_PRESSES; i++) {
      const started = performance.now();
      text = (await auth.getToken()).accessToken;
      silent.push((performance.now() - started) * 1000);
    }
    const requests = env.idp.tokenRequests() - requestsBefore;
    const [p50, p99, s50, s99] = [quantile(press, 0.5), quantile(press, 0.99), quantile(silent, 0.5), quantile(silent, 0.99)];
    return {
      title: "4. A shortcut press, key to clipboard write (µs; the tray's presenter on the real app layer, fake clipboard)",
      columns: ["path", "presses", "p50 µs", "p99 µs", "p50 vs press"],
      rows: [
        ["TrayPresenter.shortcutCopy() (keeper, clipboard guard)", press.length.toString(), fmt(p50), fmt(p99), "1x"],
        ["MSAL acquireTokenSilent per press, then the write", silent.length.toString(), fmt(s50), fmt(s99), ratio(s50, p50)],
      ],
      notes: [`token-endpoint requests during the presses: ${requests}.`],
    };
  } finally {
    await browser.close();
    await presenter.shutdown();
    context.dispose();
    await rm(home, { recursive: true, force: true });
  }
}
