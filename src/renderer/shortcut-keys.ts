/**
 * A key press as an Electron accelerator ("CommandOrControl+Alt+Shift+T"), for the settings' shortcut field: people
 * press the keys instead of spelling them. Keys are read by their position (`code`), so a layout's own characters do
 * not change the name, as Electron names them.
 */
const NAMED_KEYS: Record<string, string> = {
  Space: "Space", ArrowUp: "Up", ArrowDown: "Down", ArrowLeft: "Left", ArrowRight: "Right", Home: "Home", End: "End",
  PageUp: "PageUp", PageDown: "PageDown", Insert: "Insert", Minus: "-", Equal: "=", Comma: ",", Period: ".", Slash: "/",
  Semicolon: ";", Quote: "'", BracketLeft: "[", BracketRight: "]", Backslash: "\\", Backquote: "`",
};

function keyName(code: string): string | undefined {
  const match = /^(?:Key([A-Z])|Digit(\d)|(F(?:[1-9]|1\d|2[0-4])))$/.exec(code);
  return match ? (match[1] ?? match[2] ?? match[3]) : NAMED_KEYS[code];
}

/**
 * The accelerator for `event`, or undefined while it is not one yet (a modifier alone, a key Electron cannot
 * bind). A plain key needs a modifier, except the function keys: a global shortcut of "T" would take the letter
 * from every application.
 */
export function acceleratorOf(event: Pick<KeyboardEvent, "code" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey">, mac: boolean): string | undefined {
  const key = keyName(event.code);
  if (!key) return undefined;
  const modifiers = [
    (mac ? event.metaKey : event.ctrlKey) && "CommandOrControl",
    mac && event.ctrlKey && "Control",
    event.altKey && "Alt",
    event.shiftKey && "Shift",
    !mac && event.metaKey && "Super",
  ].filter((name): name is string => typeof name === "string");
  if (modifiers.length === 0 && !/^F\d/.test(key)) return undefined;
  return [...modifiers, key].join("+");
}
