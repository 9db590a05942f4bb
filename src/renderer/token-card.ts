import type { PopoverApi, TokenView } from "../ipc/popover-contract.js";
import { button, h } from "./dom.js";
import { remainingLife } from "./time.js";

export type Ticker = (update: (now: number) => void) => void;

/** Remaining life (counting down), scopes, and the buttons that have main copy the token. */
export function tokenCard(token: TokenView | undefined, refreshing: boolean, api: PopoverApi, tick: Ticker, say: (text: string) => void): HTMLElement {
  const copy = (what: "accessToken" | "authorizationHeader") => async () => say((await api.copy({ what })).notice);
  const life = h("p", { class: "life", role: "timer", "aria-live": "off" });
  const bar = h("div", { class: "bar-fill" });
  if (token) {
    const expires = Date.parse(token.expiresOn);
    tick((now) => {
      life.textContent = remainingLife(expires - now);
      const share = Math.min(1, Math.max(0, (expires - now) / 1000 / Math.max(1, token.lifetimeSec)));
      bar.style.width = `${(share * 100).toFixed(1)}%`;
    });
  } else {
    life.textContent = "—";
  }
  return h("section", { class: "card token", "aria-label": "Access token" },
    h("div", { class: "row" },
      h("h2", {}, "Access token"),
      h("p", { class: "scopes" }, token?.scopes.join(" · ") ?? "")),
    h("div", { class: "row" },
      life,
      h("p", { class: "hint" }, refreshing ? "refreshing…" : "refreshes by itself")),
    h("div", { class: "bar", "aria-hidden": "true" }, bar),
    h("div", { class: "row actions" },
      button("Copy token", copy("accessToken"), "primary"),
      button("Copy as header", copy("authorizationHeader")),
      token?.shortcut && h("kbd", { title: "Global shortcut: copies the token from anywhere" }, token.shortcut)));
}
