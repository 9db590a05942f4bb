/**
 * Builds elements from plain data. Text goes in through text nodes only, never as HTML, so a claim or display name
 * such as `<img onerror=...>` stays text: External ID lets users choose their own names.
 */
type Child = Node | string | false | null | undefined;

export interface Attributes {
  class?: string;
  [name: string]: string | boolean | undefined | ((event: Event) => void);
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === "function") element.addEventListener(name.replace(/^on/, ""), value);
    else if (value === true) element.setAttribute(name, "");
    else if (typeof value === "string") element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

/** Where a failed action says what went wrong (the page's live region); set once by the page. */
let reportFailure: (text: string) => void = () => undefined;
export const onActionFailure = (report: (text: string) => void): void => void (reportFailure = report);

/**
 * A button that runs `action` once per click, disabled while it runs so a double click does not ask twice; a failure
 * is said in the page, never dropped.
 */
export function button(label: string, action: () => Promise<unknown>, variant: "primary" | "secondary" | "quiet" = "secondary"): HTMLButtonElement {
  const element = h("button", { type: "button", class: `button ${variant}` }, label);
  element.addEventListener("click", () => {
    element.disabled = true;
    void action()
      .catch((error: unknown) => reportFailure(`${label} failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        element.disabled = false;
      });
  });
  return element;
}
