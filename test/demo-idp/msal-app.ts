import { ProtocolMode, PublicClientApplication } from "@azure/msal-node";
import type { DemoIdp } from "../../src/demo-idp/index.js";
import { networkClientTrusting } from "./https-client.js";

/** A real MSAL Node public client for the demo IdP, configured as for any generic OpenID Provider. */
export function msalAppFor(idp: Pick<DemoIdp, "clientId" | "authority" | "caPem">): PublicClientApplication {
  return new PublicClientApplication({
    auth: { clientId: idp.clientId, authority: idp.authority, knownAuthorities: [new URL(idp.authority).host] },
    system: { protocolMode: ProtocolMode.OIDC, networkClient: networkClientTrusting(idp.caPem) },
  });
}
