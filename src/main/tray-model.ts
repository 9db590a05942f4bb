import type { ShortcutStatus } from "../app/index.js";

/** What the tray icon, its tooltip and its menu show: a narrow, plain view of the active profile's session. */
export interface TrayModel {
  /** The active profile, or undefined when none is configured. */
  profile?: { name: string; displayName: string };
  profiles: { name: string; displayName: string; active: boolean }[];
  status: "signedOut" | "signingIn" | "signedIn" | "refreshing" | "error";
  account?: { username: string };
  accounts: { homeAccountId: string; username: string; active: boolean }[];
  problem?: { message: string; action: string };
  /** When the access token the keeper holds expires. */
  tokenExpiresOn?: Date;
  /** False when tokens are kept unencrypted or in memory only: worth the person's attention, not an error. */
  storageEncrypted: boolean;
  /** The global shortcut that copies the token: registered, or why not. */
  shortcut?: ShortcutStatus;
  /** What the OS will do at the next login, as it reports it. */
  startAtLogin?: { enabled: boolean; message?: string };
}

export type TrayIconState = "signedOut" | "signedIn" | "refreshing" | "attention";

export function trayIconState(model: TrayModel): TrayIconState {
  switch (model.status) {
    case "error":
      return "attention";
    case "signingIn":
    case "refreshing":
      return "refreshing";
    case "signedIn":
      return model.storageEncrypted ? "signedIn" : "attention";
    default:
      return "signedOut";
  }
}
