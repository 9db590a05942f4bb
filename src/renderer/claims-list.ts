import type { ClaimView, PopoverApi } from "../ipc/popover-contract.js";
import { button, h } from "./dom.js";

/**
 * A titled list of claims: label and claim name, the value (wrapping, selectable), and a copy button. The ID
 * token's list also copies the ID token itself (main copies it; the page never holds it).
 */
export function claimsList(title: string, token: "id" | "access", claims: ClaimView[], api: PopoverApi, say: (text: string) => void): HTMLElement {
  return h("section", { class: "claims", "aria-label": title },
    h("div", { class: "row" },
      h("h2", {}, title),
      token === "id" && button("Copy ID token", async () => say((await api.copy({ what: "idToken" })).notice), "quiet")),
    h("dl", {}, ...claims.map((claim) =>
      h("div", { class: "claim" },
        h("dt", { title: claim.description ?? "" }, claim.label, h("span", { class: "key" }, claim.key)),
        h("dd", {},
          h("span", { class: "value", dir: "auto" }, claim.value),
          h("button", {
            type: "button", class: "copy-claim", "aria-label": `Copy ${claim.label}`,
            onclick: () => void api.copy({ what: "claim", token, key: claim.key }).then((result) => say(result.notice), () => say(`Copying ${claim.label} failed.`)),
          }, "Copy"))))));
}
