import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppContext } from "../../src/app/index.js";
import { TrayPresenter } from "../../src/main/tray-presenter.js";
import { useTempHomes } from "../e2e/support/demo-env.js";
import { nodeSettings } from "../support/node-settings.js";

// The presenter on the real app layer, where no identity provider is needed: starting up and switching profiles.
const newHome = useTempHomes();

async function presenterFor(config: string, home?: string) {
  home ??= await newHome();
  await writeFile(path.join(home, "config.json"), config);
  const { DBUS_SESSION_BUS_ADDRESS: _bus, ...env } = process.env;
  const context = new AppContext({ env: { ...env, ENTRA_TRAY_HOME: home }, watchIntervalMs: false });
  const copied: string[] = [];
  let settings!: Awaited<ReturnType<typeof nodeSettings>>;
  const presenter = new TrayPresenter(context, {
    clipboard: { writeSecret: async (t) => void copied.push(t), writeText: async (t) => void copied.push(t), readText: async () => copied.at(-1) ?? "", clear: async () => undefined },
    windowHandle: () => undefined,
    openConfigFile: async () => undefined,
    settings: (settings = await nodeSettings(home)).panel,
    startDemo: async () => undefined,
  });
  return { presenter, context, home, settings };
}

const profile = (name: string) => ({ displayName: name, authority: `https://${name.toLowerCase()}.example.test`, clientId: "client" });

describe("TrayPresenter start-up", () => {
  it("comes up with a broken config file, showing what is wrong instead of failing", async () => {
    const { presenter, context } = await presenterFor("{ not json");
    await presenter.start();
    const view = await presenter.popoverView();
    expect(view).toMatchObject({ screen: "noProfile", problem: { message: expect.stringContaining("config.json") } });
    expect(presenter.trayModel()).toMatchObject({ status: "signedOut", profiles: [] });
    presenter.dispose();
    context.dispose();
  });

  it("switches profiles one after another: the last one asked for wins, and an unknown name keeps the current one", async () => {
    const { presenter, context } = await presenterFor(JSON.stringify({ defaultProfile: "a", profiles: { a: profile("A"), b: profile("B"), c: profile("C") } }));
    await presenter.start();
    await Promise.all([presenter.switchProfile("b"), presenter.switchProfile("c")]);
    expect(presenter.trayModel().profile).toEqual({ name: "c", displayName: "C" });
    expect(presenter.trayModel().profiles.filter((each) => each.active).map((each) => each.name)).toEqual(["c"]);
    await presenter.switchProfile("gone");
    expect(presenter.trayModel().profile).toEqual({ name: "c", displayName: "C" });
    presenter.dispose();
    context.dispose();
  });

  it("starts on the profile shown last time while it exists, else on config.json's default", async () => {
    const profiles = { a: profile("A"), b: profile("B") };
    const first = await presenterFor(JSON.stringify({ defaultProfile: "a", profiles }));
    await first.presenter.start();
    await first.presenter.switchProfile("b");
    first.presenter.dispose();
    first.context.dispose();
    const again = await presenterFor(JSON.stringify({ defaultProfile: "a", profiles }), first.home);
    await again.presenter.start();
    expect(again.presenter.trayModel().profile?.name).toBe("b");
    again.presenter.dispose();
    again.context.dispose();
    const removed = await presenterFor(JSON.stringify({ defaultProfile: "a", profiles: { a: profiles.a } }), first.home);
    await removed.presenter.start();
    expect(removed.presenter.trayModel().profile?.name).toBe("a");
    expect(await removed.presenter.popoverView()).toMatchObject({ screen: "signedOut" });
    removed.presenter.dispose();
    removed.context.dispose();
  });

  it("adds a profile from the no-profile screen into config.json, and shows it; a bad value comes back with its field", async () => {
    const { presenter, context, home } = await presenterFor(JSON.stringify({ profiles: {} }));
    await presenter.start();
    expect(await presenter.popoverView()).toMatchObject({ screen: "noProfile" });
    const work = { name: "work", authority: "https://contoso.ciamlogin.com/", clientId: "abc" };
    expect(await presenter.addProfile(work)).toMatchObject({ added: false, field: "clientId", action: expect.stringContaining("Application (client) ID") });
    expect(await presenter.addProfile({ ...work, clientId: "4a8f1c2e-3d7b-4c59-9a0e-5b8d2f71e2a4" })).toEqual({ added: true });
    expect(presenter.trayModel().profile).toEqual({ name: "work", displayName: "work" });
    expect(await presenter.popoverView()).toMatchObject({ screen: "signedOut" });
    expect(JSON.parse(await readFile(path.join(home, "config.json"), "utf8"))).toMatchObject({ defaultProfile: "work" });
    // With a profile shown there is no form: a request now would be writing the CLI's profiles unbidden.
    expect(await presenter.addProfile({ ...work, name: "more" })).toMatchObject({ added: false, message: "Profiles are added here only while there is none." });
    presenter.dispose();
    context.dispose();
  });

  it("a shortcut that cannot be bound shows in the popover with the way to the settings; saving settings redraws", async () => {
    const { presenter, context, settings } = await presenterFor(JSON.stringify({ profiles: { a: profile("A") } }));
    await presenter.start();
    settings.shortcuts.taken.add("CommandOrControl+Alt+Shift+T");
    presenter.bindShortcut(() => undefined);
    expect(await presenter.popoverView()).toMatchObject({
      shortcutProblem: { message: "The shortcut CommandOrControl+Alt+Shift+T is already taken by another application.", fix: { command: "openSettings" } },
    });
    let redraws = 0;
    presenter.onDidChange(() => redraws++);
    expect(presenter.saveSettings({ shortcut: "CommandOrControl+Alt+Shift+Y" }).errors).toEqual({});
    expect(redraws).toBe(1);
    expect(await presenter.popoverView()).not.toHaveProperty("shortcutProblem");
    expect(presenter.trayModel().shortcut).toEqual({ state: "registered", accelerator: "CommandOrControl+Alt+Shift+Y" });
    presenter.dispose();
    context.dispose();
  });
});
