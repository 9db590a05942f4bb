/** What binding a global shortcut needs of the OS (Electron's globalShortcut in the tray app). */
export interface ShortcutRegistry {
  /** False when another application holds the accelerator; throws when it is not a valid accelerator. */
  register(accelerator: string, onPress: () => void): boolean;
  unregister(accelerator: string): void;
}

export type ShortcutStatus =
  | { state: "registered"; accelerator: string }
  | { state: "taken" | "invalid"; accelerator: string; message: string; action: string }
  | { state: "off" };

/** Why the shortcut does not work (taken or invalid), or undefined when it is registered or off. */
export function shortcutProblem(status: ShortcutStatus | undefined): { message: string; action: string } | undefined {
  return status?.state === "taken" || status?.state === "invalid" ? { message: status.message, action: status.action } : undefined;
}

/**
 * Binds `wanted` in place of `current`: the new shortcut is registered first and the old one let go only once it
 * works, so a taken or invalid choice leaves the old shortcut working. Returns the new status, and which
 * accelerator is bound now (the new one, or still the old).
 */
export function bindShortcut(
  registry: ShortcutRegistry,
  current: string | undefined,
  wanted: string | undefined,
  onPress: () => void,
): { status: ShortcutStatus; bound: string | undefined } {
  if (!wanted) {
    if (current) registry.unregister(current);
    return { status: { state: "off" }, bound: undefined };
  }
  if (wanted === current) return { status: { state: "registered", accelerator: wanted }, bound: current };
  let registered: boolean;
  try {
    registered = registry.register(wanted, onPress);
  } catch {
    return {
      status: { state: "invalid", accelerator: wanted, message: `"${wanted}" is not a keyboard shortcut entra-tray can register.`,
        action: "Choose another, written like CommandOrControl+Alt+Shift+T." },
      bound: current,
    };
  }
  if (!registered) {
    return {
      status: { state: "taken", accelerator: wanted, message: `The shortcut ${wanted} is already taken by another application.`,
        action: current ? `Choose another; ${current} still copies the token.` : "Choose another shortcut." },
      bound: current,
    };
  }
  if (current) registry.unregister(current);
  return { status: { state: "registered", accelerator: wanted }, bound: wanted };
}
