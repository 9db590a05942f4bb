// Start at login behind one small interface, whatever the OS does it with: the tray app's settings and menu toggle it
// and show what the OS will really do at the next login.
import { describeWriteFailure } from "../../core/errors/atomic-write.js";
import type { LoginItemState } from "./login-item.js";
import type { XdgAutostart } from "./xdg-autostart.js";

export interface StartAtLogin {
  /** What the OS will do at the next login, read back from it each time (never trusted from settings). */
  read(): LoginItemState;
  /** Asks the OS to start the app at login, or not; answers with what it then reports. */
  set(enabled: boolean): LoginItemState;
}

/**
 * Linux desktops: the XDG autostart entry. An entry that runs another program (an AppImage since moved, an older
 * install) does not start this one: that is reported, and turning the setting on rewrites it. An entry that cannot
 * be read or written (a read-only ~/.config/autostart, a folder in its place) is reported, never thrown: the tray
 * draws this state at every change.
 */
export function xdgStartAtLogin(entry: XdgAutostart): StartAtLogin {
  const failed = (doing: string, error: unknown): LoginItemState => {
    const { cause, action } = describeWriteFailure(error);
    return { enabled: false, message: `${entry.file} could not be ${doing}: ${cause}. ${action}` };
  };
  const read = (): LoginItemState => {
    let state: ReturnType<XdgAutostart["read"]>;
    try {
      state = entry.read();
    } catch (error) {
      return failed("read", error);
    }
    if (!state.enabled) return { enabled: false };
    const runs = state.command ?? [];
    if (runs.length === entry.command.length && runs.every((part, i) => part === entry.command[i])) return { enabled: true };
    return { enabled: false, message: `${entry.file} starts ${runs.join(" ")}, not this entra-tray: turn start at login on to point it here.` };
  };
  return {
    read,
    set(enabled) {
      try {
        if (enabled) entry.enable();
        else entry.disable();
      } catch (error) {
        return failed(enabled ? "written" : "removed", error);
      }
      return read();
    },
  };
}
