import { describe, expect, it, vi } from "vitest";
import { ClipboardGuard, type SecretClipboard } from "../../src/app/index.js";
import { electronClipboard } from "../../src/main/electron-clipboard.js";

// Electron's types come through the code under test, never from the module itself: the real module would try to
// download a binary under Node. Anything that imports it at run time gets this mock, which fails loudly instead.
vi.mock("electron", () => {
  throw new Error("The real electron module must not load in tests: hand the code under test a fake.");
});

/** A clipboard holding one text, as the OS's does, with a record of how secrets were marked. */
class FakeClipboard implements SecretClipboard {
  text = "";
  async writeSecret(text: string) { this.text = text; }
  async readText() { return this.text; }
  async clear() { this.text = ""; }
}

/** Timers the test fires itself: waiting 30 s would prove nothing more. */
function manualTimers() {
  const pending: { run: () => void; ms: number; cancelled: boolean }[] = [];
  return {
    pending,
    setTimer: (run: () => void, ms: number) => {
      const timer = { run, ms, cancelled: false };
      pending.push(timer);
      return timer;
    },
    cancelTimer: (timer: unknown) => void ((timer as { cancelled: boolean } | undefined) && ((timer as { cancelled: boolean }).cancelled = true)),
    fire: async () => {
      for (const timer of pending.splice(0)) if (!timer.cancelled) timer.run();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe("ClipboardGuard", () => {
  it("clears a copied secret after the delay, if the clipboard still holds it", async () => {
    const clipboard = new FakeClipboard();
    const timers = manualTimers();
    const guard = new ClipboardGuard(clipboard, { clearAfterSec: () => 30, ...timers });
    expect(await guard.copy("token-1")).toBe(30);
    expect(clipboard.text).toBe("token-1");
    expect(timers.pending.map((timer) => timer.ms)).toEqual([30_000]);
    await timers.fire();
    expect(clipboard.text).toBe("");
  });

  it("leaves what the person copied since alone", async () => {
    const clipboard = new FakeClipboard();
    const timers = manualTimers();
    const guard = new ClipboardGuard(clipboard, { clearAfterSec: () => 30, ...timers });
    await guard.copy("token-1");
    clipboard.text = "their own text";
    await timers.fire();
    expect(clipboard.text).toBe("their own text");
    expect(await guard.clear()).toBe(false);
  });

  it("with a delay of 0 never clears by itself, but clears on demand (sign-out, quit); a new copy replaces the old timer", async () => {
    const clipboard = new FakeClipboard();
    const timers = manualTimers();
    let delay = 0;
    const guard = new ClipboardGuard(clipboard, { clearAfterSec: () => delay, ...timers });
    expect(await guard.copy("token-1")).toBeUndefined();
    expect(timers.pending).toEqual([]);
    expect(await guard.clear()).toBe(true);
    expect(clipboard.text).toBe("");
    delay = 30;
    await guard.copy("token-2");
    await guard.copy("token-3");
    expect(timers.pending.map((timer) => timer.cancelled)).toEqual([true, false]);
    await timers.fire();
    expect(clipboard.text).toBe("");
  });
});

describe("ClipboardGuard with calls that overlap", () => {
  it("a clear asked for while a copy is still being written (sign-out during a copy) still clears it", async () => {
    const clipboard = new FakeClipboard();
    let finishWrite: () => void = () => undefined;
    let writeStarted: () => void = () => undefined;
    const writing = new Promise<void>((resolve) => (writeStarted = resolve));
    clipboard.writeSecret = (text) => new Promise<void>((resolve) => {
      finishWrite = () => resolve(void (clipboard.text = text));
      writeStarted();
    });
    const guard = new ClipboardGuard(clipboard, { clearAfterSec: () => 0, ...manualTimers() });
    const copying = guard.copy("token-1");
    const clearing = guard.clear();
    await writing;
    finishWrite();
    await copying;
    expect(await clearing).toBe(true);
    expect(clipboard.text).toBe("");
  });

  it("a second copy's timer is the only one left: the first cannot clear the second early", async () => {
    const clipboard = new FakeClipboard();
    const timers = manualTimers();
    const guard = new ClipboardGuard(clipboard, { clearAfterSec: () => 30, ...timers });
    await Promise.all([guard.copy("token-1"), guard.copy("token-2")]);
    expect(timers.pending.filter((timer) => !timer.cancelled)).toHaveLength(1);
    expect(clipboard.text).toBe("token-2");
  });
});

describe("Electron's clipboard for the guard", () => {
  type ElectronClipboard = Parameters<typeof electronClipboard>[0];
  type ClipboardItemClass = Parameters<typeof electronClipboard>[1];

  function fake(refuseRawFormats: boolean) {
    const written: Record<string, string>[] = [];
    let text = "";
    const clipboard = {
      write: async (items: Parameters<ElectronClipboard["write"]>[0]) => {
        const item = items[0] as unknown as { items: Record<string, string> };
        if (refuseRawFormats && Object.keys(item.items).some((type) => type.startsWith("electron application/osclipboard"))) throw new Error("unsupported format");
        written.push(item.items);
        text = item.items["text/plain"] ?? "";
      },
      writeText: async (value: string) => void (written.push({ "text/plain": value }), (text = value)),
      readText: async () => text,
      clear: () => void (text = ""),
    };
    const Item = class { constructor(readonly items: Record<string, string>) {} } as unknown as ClipboardItemClass;
    return { clipboard, Item, written };
  }

  it("marks secrets for each platform's clipboard managers in the same write", async () => {
    for (const [platform, format] of [["linux", "x-kde-passwordManagerHint"], ["darwin", "org.nspasteboard.ConcealedType"], ["win32", "ExcludeClipboardContentFromMonitorProcessing"]] as const) {
      const { clipboard, Item, written } = fake(false);
      const secret = electronClipboard(clipboard, Item, platform);
      await secret.writeSecret("token");
      expect(Object.keys(written[0] ?? {})).toEqual(["text/plain", `electron application/osclipboard;format="${format}"`]);
      expect(await secret.readText()).toBe("token");
    }
  });

  it("writes the text alone where Electron refuses the marker, and plain text (claims) unmarked", async () => {
    const { clipboard, Item, written } = fake(true);
    const secret = electronClipboard(clipboard, Item, "linux");
    await secret.writeSecret("token");
    await secret.writeText("alice@example.com");
    expect(written).toEqual([{ "text/plain": "token" }, { "text/plain": "alice@example.com" }]);
  });
});
