import { once } from "node:events";
import { AuthError } from "../../app/index.js";
import { DEMO_IDP_DEFAULT_PORT, DEMO_TENANT_ID, startDemoIdp } from "../../demo-idp/index.js";
import type { CliIo } from "../cli-io.js";
import { appContext } from "../context.js";

export interface DemoIdpOptions {
  port?: number;
  /** Shaped like an Entra External ID tenant, on localhost as its custom URL domain. */
  externalId?: boolean;
}

/** Runs the demo identity provider in the foreground until Ctrl-C, like a development server. */
export async function demoIdpCommand(io: CliIo, options: DemoIdpOptions): Promise<void> {
  const { home } = appContext(io);
  const idp = await startDemoIdp({
    home,
    ...(options.port !== undefined && { port: options.port }),
    ...(options.externalId && { externalId: { subdomain: "demo", tenantId: DEMO_TENANT_ID } }),
  }).catch((error: unknown) => {
    // The demo IdP explains a taken port itself; it is the caller's to fix (exit 2), not an unexpected failure.
    if ((error as { cause?: NodeJS.ErrnoException }).cause?.code === "EADDRINUSE") {
      throw new AuthError("config", `Port ${options.port ?? DEMO_IDP_DEFAULT_PORT} on 127.0.0.1 is already in use, probably by another demo identity provider.`,
        "Stop that one, or pass --port with a free port (0 picks one).", { cause: error });
    }
    throw error;
  });
  const profileFlags = options.port === undefined && !options.externalId ? "--profile demo"
    : `--authority ${idp.authority}${options.externalId ? " --tenant-type external" : ""} --client-id ${idp.clientId} --scopes User.Read --graph-url ${idp.graphUrl} --ca-file ${idp.caFile}`;
  io.stdout.write([
    "Demo identity provider running (Ctrl-C stops it).",
    `  authority  ${idp.authority}`,
    ...(options.externalId ? [`  issuer     ${idp.issuer} (an External ID tenant's, on localhost as its custom URL domain)`] : []),
    `  client id  ${idp.clientId}`,
    `  Graph      ${idp.graphUrl}`,
    `  CA         ${idp.caFile}`,
    "  users      " + idp.users.map((u) => `${u.username} (password: ${u.password})`).join("\n             "),
    "",
    `Try: entra-tray token ${profileFlags}`,
    "",
    "Your browser does not know the demo CA, so it warns about the sign-in page's certificate the first time:",
    "accept it for localhost, or import the CA file above into the browser's trusted authorities",
    "(it can sign only for localhost, 127.0.0.1 and ::1, and lasts 90 days).",
    "",
  ].join("\n"));
  if (idp.caReplaced) io.stderr.write(`${idp.caReplaced}\n`);
  if (!io.signal.aborted) await once(io.signal, "abort");
  await idp.close();
}
