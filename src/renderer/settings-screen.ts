import type { PopoverApi, SettingsPatch, SettingsReply, SettingsView } from "../ipc/popover-contract.js";
import { button, h } from "./dom.js";
import { acceleratorOf } from "./shortcut-keys.js";

export interface SettingsContext {
  api: PopoverApi;
  say: (text: string) => void;
  /** Back to the account. */
  close: () => void;
  /** Draws the screen again with what main answered (saved values, and the reasons for those not saved). */
  redraw: (settings: SettingsView, errors: SettingsReply["errors"]) => void;
}

const MAC = /Mac/.test(navigator.userAgent);
const LINUX = /Linux/.test(navigator.userAgent) && !/Android/.test(navigator.userAgent);

/**
 * The app's own settings: the global shortcut (pressed, not spelled), the clipboard delay, the minimum validity of
 * a copied token, start at login. Only what changed is sent; main saves what works and says why not for the rest.
 */
export function settingsScreen(settings: SettingsView, errors: SettingsReply["errors"], context: SettingsContext): HTMLElement[] {
  const shortcut = shortcutField(settings.shortcut);
  const clearAfter = secondsField(settings.clipboardClearSeconds, settings.limits.clipboardClearSeconds);
  const minValidity = secondsField(settings.minValiditySeconds, settings.limits.minValiditySeconds);
  const atLogin = h("input", { type: "checkbox", id: "start-at-login", ...(settings.startAtLogin.enabled && { checked: true }) });

  const save = async () => {
    const patch: SettingsPatch = {};
    if (shortcut.value !== settings.shortcut) patch.shortcut = shortcut.value;
    if (clearAfter.valueAsNumber !== settings.clipboardClearSeconds) patch.clipboardClearSeconds = clearAfter.valueAsNumber;
    if (minValidity.valueAsNumber !== settings.minValiditySeconds) patch.minValiditySeconds = minValidity.valueAsNumber;
    if (atLogin.checked !== settings.startAtLogin.enabled) patch.startAtLogin = atLogin.checked;
    // An emptied number field reads as NaN: not a change anyone meant.
    for (const key of ["clipboardClearSeconds", "minValiditySeconds"] as const) if (Number.isNaN(patch[key])) delete patch[key];
    if (Object.keys(patch).length === 0) return context.say("Nothing changed.");
    const reply = await context.api.saveSettings(patch);
    context.redraw(reply.settings, reply.errors);
    context.say(reply.notice);
  };

  return [
    h("main", { class: "scroll settings" },
      h("h1", {}, "Settings"),
      field("Copy the access token from anywhere", "shortcut", shortcut,
        settings.shortcutProblem ? `${settings.shortcutProblem.message} ${settings.shortcutProblem.action}` : undefined, errors.shortcut,
        `Click the field and press the keys; Backspace for no shortcut.${LINUX ? " On Wayland without a shortcuts portal, bind `entra-tray --copy-token` in your desktop's keyboard settings instead." : ""}`,
        button("None", () => Promise.resolve(void (shortcut.value = "")), "quiet")),
      field("Clear a copied token from the clipboard after (seconds; 0: never)", "clear-after", clearAfter, undefined, errors.clipboardClearSeconds,
        "Only while the clipboard still holds the token; also on sign-out and quit."),
      field("A copied token is valid for at least (seconds)", "min-validity", minValidity, undefined, errors.minValiditySeconds,
        "A token closer to its expiry is refreshed first, or nothing is copied."),
      h("div", { class: "field check" },
        atLogin, h("label", { for: "start-at-login" }, "Start entra-tray at login"),
        (errors.startAtLogin ?? settings.startAtLogin.message) && h("p", { class: "field-error", role: "alert" }, errors.startAtLogin ?? settings.startAtLogin.message)),
      h("div", { class: "field" },
        h("p", { class: "hint" }, "Profiles (and allowPlaintextCache) are in config.json, shared with the entra-tray command: ",
          h("span", { class: "path" }, settings.configFile)),
        button("Edit config.json", () => context.api.openConfigFile()))),
    h("footer", {},
      button("Back", () => Promise.resolve(context.close())),
      h("span", { class: "spacer" }),
      button("Save", save, "primary")),
  ];
}

function field(label: string, id: string, input: HTMLInputElement, problem: string | undefined, error: string | undefined, hint: string, ...extra: HTMLElement[]): HTMLElement {
  input.id = id;
  const message = error ?? problem;
  if (message) input.setAttribute("aria-invalid", "true");
  return h("div", { class: "field" },
    h("label", { for: id }, label),
    h("div", { class: "row" }, input, ...extra),
    message && h("p", { class: "field-error", role: "alert" }, message),
    h("p", { class: "hint" }, hint));
}

function secondsField(value: number, { min, max }: { min: number; max: number }): HTMLInputElement {
  return h("input", { type: "number", inputmode: "numeric", min: String(min), max: String(max), step: "1", value: String(value) });
}

/** The keys pressed in it become the accelerator; Backspace or Delete clears it, Escape puts back the saved one. */
function shortcutField(saved: string): HTMLInputElement {
  const input = h("input", { type: "text", class: "shortcut", spellcheck: "false", autocomplete: "off", value: saved, placeholder: "No shortcut" });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Tab" && !event.ctrlKey && !event.altKey && !event.metaKey) return;
    event.preventDefault();
    const plain = !event.ctrlKey && !event.altKey && !event.metaKey && !event.shiftKey;
    if (plain && (event.key === "Backspace" || event.key === "Delete")) input.value = "";
    else if (plain && event.key === "Escape") input.value = saved;
    else input.value = acceleratorOf(event, MAC) ?? input.value;
  });
  return input;
}
