import type { NewProfile, PopoverApi } from "../ipc/popover-contract.js";
import { h } from "./dom.js";

type FieldName = "name" | "authority" | "clientId" | "scopes";

const FIELDS: { name: FieldName; label: string; placeholder: string; hint?: string }[] = [
  { name: "name", label: "Profile name", placeholder: "work" },
  { name: "authority", label: "Authority", placeholder: "https://contoso.ciamlogin.com/",
    hint: "External ID: https://<tenant>.ciamlogin.com/; Entra ID: https://login.microsoftonline.com/<tenant id>; or any OpenID issuer." },
  { name: "clientId", label: "Application (client) ID", placeholder: "the GUID on the app registration's Overview page" },
  { name: "scopes", label: "Scopes (optional, separated by spaces)", placeholder: "User.Read" },
];

/** What was typed, kept across redraws: a view pushed while someone types must not wipe the form. */
const draft: Record<FieldName, string> = { name: "", authority: "", clientId: "", scopes: "" };

/**
 * Adds a profile to config.json from the no-profile screen. The values are checked by the app layer, as the file's
 * own profiles are; its message and action appear beside the field at fault.
 */
export function addProfileForm(api: PopoverApi): HTMLElement {
  const inputs = new Map<FieldName, HTMLInputElement>();
  const errors = new Map<FieldName, HTMLElement>();
  const general = h("p", { class: "field-error", role: "alert" });
  const submit = h("button", { type: "submit", class: "button primary" }, "Add profile");

  const showError = (field: string | undefined, text: string) => {
    const place = errors.get(field as FieldName) ?? general;
    place.textContent = text;
    inputs.get(field as FieldName)?.setAttribute("aria-invalid", "true");
    inputs.get(field as FieldName)?.focus();
  };

  const add = async () => {
    for (const place of [...errors.values(), general]) place.textContent = "";
    for (const input of inputs.values()) input.removeAttribute("aria-invalid");
    const scopes = draft.scopes.split(/\s+/).filter(Boolean);
    const profile: NewProfile = { name: draft.name.trim(), authority: draft.authority.trim(), clientId: draft.clientId.trim(), ...(scopes.length && { scopes }) };
    const reply = await api.addProfile(profile);
    if (reply.added) {
      for (const key of Object.keys(draft) as FieldName[]) draft[key] = "";
      return;
    }
    showError(reply.field, `${reply.message} ${reply.action}`);
  };

  const form = h("form", { class: "add-profile", "aria-label": "Add a profile", novalidate: true },
    h("h2", {}, "Add your own profile"),
    ...FIELDS.map(({ name, label, placeholder, hint }) => {
      const input = h("input", { type: "text", id: `profile-${name}`, name, placeholder, spellcheck: "false", autocomplete: "off", value: draft[name] });
      input.addEventListener("input", () => void (draft[name] = input.value));
      const error = h("p", { class: "field-error", role: "alert" });
      inputs.set(name, input);
      errors.set(name, error);
      return h("div", { class: "field" }, h("label", { for: input.id }, label), input, error, hint && h("p", { class: "hint" }, hint));
    }),
    general,
    submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit.disabled = true;
    void add()
      .catch((error: unknown) => showError(undefined, `Adding the profile failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => void (submit.disabled = false));
  });
  return form;
}
