import type { DemoIdp } from "../demo-idp/index.js";
import { DEMO_IDP_DEFAULT_PORT } from "../demo-idp/demo-profile.js";

/**
 * Runs the demo identity provider inside this process (the tray app with no profile of its own), at the port the
 * built-in `demo` profile names. When one already runs there (`entra-tray demo-idp` in a terminal, with the same app
 * home and so the same CA), that one serves and this returns undefined.
 */
export async function startEmbeddedDemo(home: string): Promise<DemoIdp | undefined> {
  // Loaded here, not with the app layer: the server and its certificate library cost every CLI command ~100 ms.
  const { startDemoIdp } = await import("../demo-idp/index.js");
  try {
    return await startDemoIdp({ home, port: DEMO_IDP_DEFAULT_PORT });
  } catch (error) {
    if ((error as { cause?: NodeJS.ErrnoException }).cause?.code === "EADDRINUSE") return undefined;
    throw error;
  }
}
