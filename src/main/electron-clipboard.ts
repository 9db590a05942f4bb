import type * as Electron from "electron";
import type { SecretClipboard } from "../app/index.js";

/**
 * The raw clipboard format each platform's clipboard managers read as "this is a secret, keep it out of history":
 * KDE's Klipper, macOS pasteboard managers (nspasteboard.org), Windows' clipboard history and cloud sync.
 */
const SECRET_FORMAT: Partial<Record<NodeJS.Platform, { format: string; value: string }>> = {
  linux: { format: "x-kde-passwordManagerHint", value: "secret" },
  darwin: { format: "org.nspasteboard.ConcealedType", value: "" },
  win32: { format: "ExcludeClipboardContentFromMonitorProcessing", value: "" },
};

type ElectronClipboard = Pick<Electron.Clipboard, "write" | "writeText" | "readText" | "clear">;

/**
 * Electron's clipboard as ClipboardGuard wants it. A secret is written with the platform's secret marker in the same
 * atomic write (Electron's raw `electron application/osclipboard` formats); where Electron refuses the marker, the
 * text alone is written.
 */
export function electronClipboard(
  clipboard: ElectronClipboard,
  ClipboardItem: new (items: Record<string, string>) => Electron.ClipboardItem,
  platform: NodeJS.Platform,
): SecretClipboard & { writeText(text: string): Promise<void> } {
  const marker = SECRET_FORMAT[platform];
  return {
    async writeSecret(text) {
      if (!marker) return clipboard.writeText(text);
      try {
        await clipboard.write([new ClipboardItem({ "text/plain": text, [`electron application/osclipboard;format="${marker.format}"`]: marker.value })]);
      } catch {
        await clipboard.writeText(text);
      }
    },
    writeText: (text) => clipboard.writeText(text),
    readText: () => clipboard.readText(),
    clear: () => Promise.resolve(clipboard.clear()),
  };
}
