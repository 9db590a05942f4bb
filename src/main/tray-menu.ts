import type { MenuItemConstructorOptions } from "electron";
import { shortcutProblem } from "../app/index.js";
import type { TrayModel } from "./tray-model.js";

/** What the menu's items do; main wires each to the session. */
export interface TrayActions {
  open(): void;
  copyAccessToken(): void;
  copyAuthorizationHeader(): void;
  copyIdToken(): void;
  signIn(selectAccount: boolean): void;
  cancelSignIn(): void;
  signOut(): void;
  switchAccount(homeAccountId: string): void;
  switchProfile(name: string): void;
  /** Opens the popover's settings screen. */
  settings(): void;
  setStartAtLogin(enabled: boolean): void;
  quit(): void;
}

/**
 * The tray's context menu for the model, rebuilt on every change (Linux shows a menu only as it was when set).
 * "Open" comes first: on Linux the menu is the way into the popover (tray clicks are unreliable there, and a Wayland
 * popover cannot be placed under the icon).
 */
export function trayMenuTemplate(model: TrayModel, actions: TrayActions): MenuItemConstructorOptions[] {
  const signedIn = model.status === "signedIn" || model.status === "refreshing";
  const items: MenuItemConstructorOptions[] = [
    { label: header(model), enabled: false },
    { type: "separator" },
    { label: "Open entra-tray", click: () => actions.open() },
  ];
  if (model.profile) {
    if (signedIn) {
      const shortcut = model.shortcut?.state === "registered" ? model.shortcut.accelerator : undefined;
      items.push(
        { label: "Copy access token", click: () => actions.copyAccessToken(), ...(shortcut && { accelerator: shortcut, registerAccelerator: false }) },
        { label: "Copy Authorization header", click: () => actions.copyAuthorizationHeader() },
        { label: "Copy ID token", click: () => actions.copyIdToken() },
      );
    }
    if (model.status === "signingIn") items.push({ label: "Cancel sign-in", click: () => actions.cancelSignIn() });
    else if (model.accounts.length === 0) items.push({ label: "Sign in…", click: () => actions.signIn(false) });
    else items.push({ label: "Sign in with another account…", click: () => actions.signIn(true) });
    if (model.accounts.length > 1) {
      items.push({
        label: "Account",
        submenu: model.accounts.map((account) => ({
          label: account.username, type: "radio" as const, checked: account.active, click: () => actions.switchAccount(account.homeAccountId),
        })),
      });
    }
    if (model.account) items.push({ label: `Sign out ${model.account.username}`, click: () => actions.signOut() });
  }
  if (model.profiles.length > 1) {
    items.push({ type: "separator" }, {
      label: "Profile",
      submenu: model.profiles.map((profile) => ({
        label: profile.displayName, type: "radio" as const, checked: profile.active, click: () => actions.switchProfile(profile.name),
      })),
    });
  }
  const shortcut = shortcutProblem(model.shortcut);
  if (shortcut) {
    items.push({ type: "separator" }, { label: shortcut.message, enabled: false }, { label: "Choose another shortcut…", click: () => actions.settings() });
  }
  items.push({ type: "separator" });
  if (model.startAtLogin) {
    const { enabled, message } = model.startAtLogin;
    // Electron flips a checkbox before its click runs: the item says what the person asked for.
    items.push({ label: "Start at login", type: "checkbox", checked: enabled, click: (item) => actions.setStartAtLogin(item.checked) });
    if (message) items.push({ label: message, enabled: false });
  }
  items.push({ label: "Settings…", click: () => actions.settings() }, { label: "Quit entra-tray", click: () => actions.quit() });
  return items;
}

function header(model: TrayModel): string {
  if (!model.profile) return "No profile configured";
  if (model.status === "error") return `${model.profile.displayName}: needs attention`;
  return model.account ? `${model.account.username} (${model.profile.displayName})` : `${model.profile.displayName}: not signed in`;
}
