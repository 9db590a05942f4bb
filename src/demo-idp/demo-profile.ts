import { join } from "node:path";

// What a client needs to know about the demo IdP, kept apart from the server so that the CLI can offer the
// `demo` profile without loading oidc-provider at every start (about 160 ms).

/** Unusual enough not to collide with a developer's own servers. */
export const DEMO_IDP_DEFAULT_PORT = 47443;
export const DEMO_CLIENT_ID = "3c5d8f0a-9b2e-4d71-a6c4-e8f19b27d053";
export const GRAPH_PATH = "/graph/v1.0";

/** The built-in `demo` profile, shaped like a profile entry in entra-tray's config file. */
export function demoProfileConfig(
  home: string,
  port: number = DEMO_IDP_DEFAULT_PORT,
): { displayName: string; authority: string; clientId: string; scopes: string[]; graphUrl: string; caFile: string } {
  const authority = `https://localhost:${port}`;
  return {
    displayName: "Demo identity provider (entra-tray demo-idp)",
    authority,
    clientId: DEMO_CLIENT_ID,
    scopes: ["User.Read"],
    graphUrl: `${authority}${GRAPH_PATH}`,
    caFile: join(home, "demo-idp", "ca.pem"),
  };
}
