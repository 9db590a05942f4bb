import type { ClaimView, PopoverView, SettingsView } from "../../../src/ipc/popover-contract.js";

/** Views as main would send them, for each state the popover has. */
const chips = { profile: "Contoso (External ID)", storage: { label: "Keyring", tone: "good", detail: "Tokens are kept in the OS keyring." }, signInMethod: "Browser sign-in" } as const;
const profiles = [{ id: "contoso", label: "Contoso", active: true }, { id: "demo", label: "Demo", active: false }];
const accounts = [{ id: "zoe-home-id", label: "zoe@contoso.onmicrosoft.com", active: true }];

export const HOSTILE = {
  html: `<img src=x onerror="document.title='pwned'"> <b>bold</b>`,
  long: "x".repeat(10_000),
  rtl: "\u202Eevil.exe\u202C مرحبا بالعالم",
  emoji: "👩🏽‍💻🏳️‍🌈 Zoë Ångström-Núñez 🇫🇷",
};

const claims: ClaimView[] = [
  { key: "name", label: "Name", value: "Zoë Ångström-Núñez", description: "The account's display name." },
  { key: "preferred_username", label: "Username", value: "zoe@contoso.onmicrosoft.com" },
  { key: "tid", label: "Tenant", value: "8f1c2a4e-3d7b-4c59-9a0e-5b8d2f71e2a4" },
  { key: "auth_time", label: "Signed in", value: "Today 08:14 (2 h ago)" },
  { key: "exp", label: "Expires", value: "Today 11:14 (in 52 min)" },
];

export function signedIn(overrides: Partial<Extract<PopoverView, { screen: "signedIn" }>> = {}): PopoverView {
  return {
    screen: "signedIn", chips, profiles, accounts, refreshing: false,
    account: { name: "Zoë Ångström-Núñez", username: "zoe@contoso.onmicrosoft.com", mail: "zoe@contoso.onmicrosoft.com", jobTitle: "Product designer" },
    token: { expiresOn: new Date(Date.now() + 52 * 60_000 + 30_000).toISOString(), lifetimeSec: 3600, scopes: ["User.Read", "openid", "profile"], shortcut: "Ctrl+Alt+Shift+T" },
    idClaims: claims,
    ...overrides,
  };
}

export const hostileClaims: ClaimView[] = Object.entries(HOSTILE).map(([key, value]) => ({ key, label: value, value }));

/** Fresh views (their countdowns start now), by the name their screenshots get. */
export const views = (): Record<string, PopoverView> => ({
  "signed-in": signedIn(),
  "signed-in-hostile": signedIn({ account: { name: HOSTILE.html, username: HOSTILE.long, jobTitle: HOSTILE.rtl }, idClaims: hostileClaims }),
  "signing-in": { screen: "signingIn", chips, profiles, accounts, flow: "browser", deadline: new Date(Date.now() + 272_500).toISOString() },
  "signed-out": { screen: "signedOut", chips, profiles, accounts: [] },
  "needs-attention": {
    screen: "needsAttention", chips, profiles, accounts,
    problem: { message: "contoso.ciamlogin.com needs you to sign in again (invalid_grant): the session was revoked.", action: "Tokens are not being refreshed until you sign in.", fix: { label: "Sign in again", command: "signInAgain" } },
  },
  "no-profile": { screen: "noProfile", demoAvailable: true },
  "shortcut-taken": signedIn({
    shortcutProblem: { message: "The shortcut CommandOrControl+Alt+Shift+T is already taken by another application.", action: "Choose another shortcut.", fix: { label: "Choose another shortcut", command: "openSettings" } },
  }),
});

/** The settings screen's view as main would send it. */
export const settingsView = (overrides: Partial<SettingsView> = {}): SettingsView => ({
  shortcut: "CommandOrControl+Alt+Shift+T",
  clipboardClearSeconds: 30,
  minValiditySeconds: 300,
  startAtLogin: { enabled: true },
  limits: { clipboardClearSeconds: { min: 0, max: 3600 }, minValiditySeconds: { min: 0, max: 3600 } },
  configFile: "/home/zoe/.config/entra-tray/config.json",
  ...overrides,
});
