import type { ChoiceView, PopoverApi, PopoverView, ProblemView } from "../ipc/popover-contract.js";
import { accountHeader } from "./account-header.js";
import { addProfileForm } from "./add-profile-form.js";
import { claimsList } from "./claims-list.js";
import { button, h } from "./dom.js";
import { clock } from "./time.js";
import { tokenCard, type Ticker } from "./token-card.js";

export interface ScreenContext {
  api: PopoverApi;
  tick: Ticker;
  /** Shows a short notice (copied, failed) in the page's live region. */
  say: (text: string) => void;
  /** Shows the settings screen. */
  showSettings: () => void;
}

/** The whole popover for one view: the main area for its state, then the footer. */
export function screen(view: PopoverView, context: ScreenContext): HTMLElement[] {
  switch (view.screen) {
    case "noProfile":
      return [h("main", { class: "scroll first-run" },
        h("h1", {}, "No profile yet"),
        h("p", {}, view.problem ? problemText(view.problem) : "Try entra-tray with its demo identity provider, no tenant needed, or add your own profile."),
        view.problem && h("p", { class: "action" }, view.problem.action),
        view.demoAvailable && button("Start the demo", () => context.api.startDemo(), "primary"),
        addProfileForm(context.api),
        h("p", { class: "hint" }, "Profiles are kept in config.json, shared with the entra-tray command. ",
          button("Edit config.json", () => context.api.openConfigFile(), "quiet")))];
    case "signedOut":
      return [
        centered(`Sign in to ${view.chips.profile}`,
          view.problem ? problemText(view.problem) : "Sign in to see your account and get access tokens.",
          button("Sign in", () => context.api.signIn({ selectAccount: false }), "primary"),
          view.problem && h("p", { class: "action" }, view.problem.action)),
        ...shortcutBanner(view, context),
        footer(view, context),
      ];
    case "signingIn": {
      const remaining = h("span", {});
      const deadline = Date.parse(view.deadline);
      context.tick((now) => (remaining.textContent = clock(deadline - now)));
      const where = view.flow === "broker" ? "the sign-in window that opened" : "the browser window that opened";
      return [centered(view.flow === "broker" ? "Continue in the sign-in window" : "Continue in your browser",
        h("span", {}, `Sign in to ${view.chips.profile} in ${where}. Gives up in `, remaining, "."),
        h("div", { class: "spinner", role: "progressbar", "aria-label": "Waiting for the sign-in" }),
        button("Cancel", () => context.api.cancelSignIn()))];
    }
    case "needsAttention":
      return [
        ...(view.account ? [accountHeader(view.account, view.chips)] : []),
        centered("Needs your attention", problemText(view.problem),
          view.problem.fix && button(view.problem.fix.label, () => fix(view.problem, context), "primary"),
          h("p", { class: "action" }, view.problem.action)),
        ...shortcutBanner(view, context),
        footer(view, context),
      ];
    case "signedIn":
      return [
        accountHeader(view.account, view.chips),
        h("main", { class: "scroll" },
          tokenCard(view.token, view.refreshing, context.api, context.tick, context.say),
          claimsList("ID token claims", "id", view.idClaims, context.api, context.say),
          view.accessClaims && claimsList("Access token claims", "access", view.accessClaims, context.api, context.say)),
        ...shortcutBanner(view, context),
        footer(view, context),
      ];
  }
}

function problemText(problem: ProblemView): HTMLElement {
  return h("span", { class: "problem" }, problem.message);
}

function fix(problem: ProblemView, { api, showSettings }: ScreenContext): Promise<void> {
  switch (problem.fix?.command) {
    case "signIn":
      return api.signIn({ selectAccount: false });
    case "signInAgain":
      return api.signIn({ selectAccount: false });
    case "startDemo":
      return api.startDemo();
    case "openConfigFile":
      return api.openConfigFile();
    case "openSettings":
      return Promise.resolve(showSettings());
    default:
      return Promise.resolve();
  }
}

function centered(title: string, text: HTMLElement | string, ...actions: (HTMLElement | false | undefined)[]): HTMLElement {
  return h("main", { class: "centered" }, h("h1", {}, title), h("p", {}, text), ...actions);
}

/** The global shortcut does not work (taken, invalid): why, and the way to pick another. */
function shortcutBanner(view: Extract<PopoverView, { profiles: ChoiceView[] }>, context: ScreenContext): HTMLElement[] {
  const problem = view.shortcutProblem;
  if (!problem) return [];
  return [h("div", { class: "banner", role: "status" },
    h("p", {}, problem.message),
    problem.fix && button(problem.fix.label, () => fix(problem, context), "quiet"))];
}

/** Profile and account switchers, Sign out, Settings. */
function footer(view: Extract<PopoverView, { profiles: ChoiceView[] }>, { api, showSettings }: ScreenContext): HTMLElement {
  const signedIn = view.screen === "signedIn" || (view.screen === "needsAttention" && view.account !== undefined);
  return h("footer", {},
    switcher("Profile", view.profiles, (id) => api.switchProfile(id)),
    view.accounts.length > 0 && switcher("Account", view.accounts, (id) =>
      id === ADD_ACCOUNT ? api.signIn({ selectAccount: true }) : api.switchAccount(id), "Sign in with another account…"),
    h("span", { class: "spacer" }),
    signedIn && button("Sign out", () => api.signOut()),
    h("button", { type: "button", class: "button quiet", "aria-label": "Settings", title: "Settings", onclick: () => showSettings() }, "⚙"));
}

const ADD_ACCOUNT = "\u0000add";

function switcher(label: string, choices: ChoiceView[], choose: (id: string) => Promise<void>, extra?: string): HTMLElement | false {
  if (choices.length < 2 && !extra) return h("span", { class: "current" }, choices[0]?.label ?? "");
  const select = h("select", { "aria-label": label, onchange: () => void choose(select.value) },
    ...choices.map((choice) => h("option", { value: choice.id, ...(choice.active && { selected: true }) }, choice.label)),
    extra && h("option", { value: ADD_ACCOUNT }, extra));
  return select;
}
