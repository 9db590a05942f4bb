import type * as Electron from "electron";
import type { LoginItemTarget, StartAtLogin } from "../app/index.js";
import { loginItemQuery, loginItemSettings, loginItemState } from "../app/index.js";

/** Start at login on macOS and Windows: Electron's login-item calls, asked and read back with the same target. */
export function electronStartAtLogin(app: Pick<Electron.App, "getLoginItemSettings" | "setLoginItemSettings">, target: LoginItemTarget): StartAtLogin {
  const read = () => loginItemState(target.platform, app.getLoginItemSettings(loginItemQuery(target)));
  return {
    read,
    set(enabled) {
      app.setLoginItemSettings(loginItemSettings(target, enabled));
      return read();
    },
  };
}
