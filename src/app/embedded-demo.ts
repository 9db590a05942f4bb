import { DEMO_IDP_DEFAULT_PORT, startDemoIdp, type DemoIdp } from "../demo-idp/index.js";

/**
 * Runs the demo identity provider inside this process (the tray app with no profile of its own), at the port the
 * built-in `demo` profile names. When one already runs there (`entra-tray demo-idp` in a terminal, with the same app
 * home and so the same CA), that one serves and this returns undefined.
 */
export async function startEmbeddedDemo(home: string): Promise<DemoIdp | undefined> {
  try {
    return await startDemoIdp({ home, port: DEMO_IDP_DEFAULT_PORT });
  } catch (error) {
    if ((error as { cause?: NodeJS.ErrnoException }).cause?.code === "EADDRINUSE") return undefined;
    throw error;
  }
}
