import type { INativeBrokerPlugin } from "@azure/msal-node";

/** What the machine's native broker can do for entra-tray, as found at start-up. */
export interface BrokerProbe {
  available: boolean;
  /** The plugin to hand MSAL; present exactly when the broker is available. */
  plugin?: INativeBrokerPlugin;
  /** Why the broker is not available, in one sentence. */
  reason?: string;
}

/** Which broker each platform has, and what msal-node-runtime needs to reach it. */
const UNAVAILABLE: Partial<Record<NodeJS.Platform, string>> = {
  win32: "Windows' Web Account Manager (WAM) could not be loaded by msal-node-runtime.",
  darwin: "The macOS broker (the Enterprise SSO plug-in of Microsoft's Company Portal) could not be loaded by msal-node-runtime.",
  linux: "Microsoft's identity broker for Linux is not usable here: msal-node-runtime could not load its native library " +
    "(it needs x64 Ubuntu 22.04/24.04 or RHEL 8+ with WebKitGTK 4.1, and the microsoft-identity-broker package).",
};

/**
 * Asks msal-node-extensions' NativeBrokerPlugin whether the OS broker can be used. Loaded here, not at the top of
 * a module: it loads msal-node-runtime's native library, and keytar with it.
 */
export async function probeBroker(platform: NodeJS.Platform = process.platform): Promise<BrokerProbe> {
  let plugin: INativeBrokerPlugin;
  try {
    const { NativeBrokerPlugin } = await import("@azure/msal-node-extensions");
    plugin = new NativeBrokerPlugin();
  } catch (error) {
    return { available: false, reason: `The native broker plugin could not be loaded (${error instanceof Error ? error.message : String(error)}).` };
  }
  if (plugin.isBrokerAvailable) return { available: true, plugin };
  return { available: false, reason: UNAVAILABLE[platform] ?? `There is no native broker on ${platform}.` };
}
