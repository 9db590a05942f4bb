import type { AccountView, StatusChips } from "../ipc/popover-contract.js";
import { h } from "./dom.js";
import { initials } from "./time.js";

/** Photo (or initials), name, mail and job title, and the chips: profile, storage, sign-in method. */
export function accountHeader(account: AccountView | undefined, chips: StatusChips): HTMLElement {
  const avatar = account?.photo?.startsWith("data:image/")
    ? h("img", { class: "avatar", src: account.photo, alt: "" })
    : h("div", { class: "avatar", "aria-hidden": "true" }, initials(account?.name ?? chips.profile));
  const details = [account?.mail ?? account?.username, account?.jobTitle].filter(Boolean).join(" · ");
  return h("header", { class: "account" },
    avatar,
    h("div", { class: "who" },
      h("h1", { class: "name" }, account?.name ?? chips.profile),
      details && h("p", { class: "details" }, details),
      account?.graphNote && h("p", { class: "note" }, account.graphNote),
      h("ul", { class: "chips", "aria-label": "Session" },
        h("li", { class: "chip" }, chips.profile),
        h("li", { class: `chip ${chips.storage.tone}`, title: chips.storage.detail }, chips.storage.label),
        h("li", { class: "chip" }, chips.signInMethod))));
}
