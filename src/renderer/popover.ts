import type { PopoverApi, PopoverView, SettingsReply, SettingsView } from "../ipc/popover-contract.js";
import { h, onActionFailure } from "./dom.js";
import { screen } from "./screens.js";
import { settingsScreen } from "./settings-screen.js";

/**
 * The popover page: renders the view models main sends, and asks main (through the preload's `entraTray`) to act.
 * It holds no state of its own beyond the countdowns, and never a token.
 */
declare global {
  interface Window {
    entraTray: PopoverApi;
  }
}

const api = window.entraTray;
const root = document.getElementById("app") as HTMLElement;
const live = h("p", { class: "notice", role: "status", "aria-live": "polite" });
let tickers: ((now: number) => void)[] = [];
let noticeTimer: number | undefined;

onActionFailure((text) => say(text));

function say(text: string): void {
  live.textContent = text;
  window.clearTimeout(noticeTimer);
  noticeTimer = window.setTimeout(() => (live.textContent = ""), 6000);
}

/** The newest view main sent, and whether the settings screen is in front of it. */
let latest: PopoverView | undefined;
let settingsOpen = false;

function render(view: PopoverView): void {
  latest = view;
  if (!settingsOpen) draw(view);
}

function draw(view: PopoverView): void {
  tickers = [];
  const focused = document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent;
  // A redraw of the same screen (a refresh, the Graph photo arriving) keeps the claims where they were scrolled to.
  const scrolled = root.dataset.screen === view.screen ? root.querySelector(".scroll")?.scrollTop : undefined;
  root.replaceChildren(...screen(view, { api, say, tick: (update) => tickers.push(update), showSettings: () => void showSettings() }), live);
  root.dataset.screen = view.screen;
  // Countdowns first: restoring the scroll before they fill in would let the browser's scroll anchoring shift it.
  for (const update of tickers) update(Date.now());
  const scroller = root.querySelector(".scroll");
  if (scroller && scrolled !== undefined) scroller.scrollTop = scrolled;
  // Keep the keyboard where it was when the same control is still there (a view change must not lose focus).
  const again = [...root.querySelectorAll<HTMLElement>("button, select")].find((element) =>
    (element.getAttribute("aria-label") ?? element.textContent) === focused);
  again?.focus();
}

async function showSettings(): Promise<void> {
  // Asked again while open (the menu's "Settings…"): what is being edited stays.
  if (settingsOpen) return root.querySelector<HTMLElement>("input")?.focus();
  settingsOpen = true;
  try {
    drawSettings(await api.settings(), {});
    root.querySelector<HTMLElement>("input")?.focus();
  } catch (error) {
    settingsOpen = false;
    say(`The settings could not load: ${String(error)}`);
  }
}

function drawSettings(settings: SettingsView, errors: SettingsReply["errors"]): void {
  if (!settingsOpen) return;
  tickers = [];
  root.replaceChildren(...settingsScreen(settings, errors, { api, say, close: closeSettings, redraw: drawSettings }), live);
  root.dataset.screen = "settings";
  // After a save the keyboard goes to the first setting that was not saved.
  root.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}

function closeSettings(): void {
  settingsOpen = false;
  if (latest) draw(latest);
}

window.setInterval(() => {
  const now = Date.now();
  for (const update of tickers) update(now);
}, 1000);

// A view main pushes is newer than the first one asked for: once one has come, the answer is dropped.
let pushed = false;
api.onView((view) => {
  pushed = true;
  render(view);
});
api.onShowSettings(() => void showSettings());
api.view().then((view) => pushed || render(view), (error: unknown) => say(`The popover could not load: ${String(error)}`));
