import { createRequire } from "node:module";
import { Command, InvalidArgumentError, Option } from "commander";
import type { CliIo } from "./cli-io.js";

/** A whole number from `min` to `max`; the empty string is not 0 (Number("") is). */
const wholeNumber = (min: number, max: number, expected: string) => (value: string): number => {
  const n = value.trim() === "" ? NaN : Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected ${expected}.`);
  return n;
};

// Node's timers hold at most 2^31-1 ms: a longer one fires after 1 ms, so a longer wait would not be a wait at all.
const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
const seconds = wholeNumber(0, MAX_SECONDS, `a whole number of seconds from 0 to ${MAX_SECONDS} (about 24 days)`);
const port = wholeNumber(0, 65535, "a port number (0-65535)");

/** package.json's version; the same relative path from src/cli and dist/cli. */
const packageVersion = (): string => (createRequire(import.meta.url)("../../package.json") as { version: string }).version;

/**
 * The `entra-tray` command line. Each command's module is loaded only when it runs, so a command pays only for
 * what it uses (`--help` loads no MSAL, `token` no claims formatting, none but `demo-idp` the IdP server).
 * The contract (commands, flags, output, exit codes) is documented in the README.
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command("entra-tray")
    .description("Sign in to Microsoft Entra External ID, Entra ID or any OpenID Provider, and print fresh access tokens.")
    .option("--profile <name>", "profile from the config file, or the built-in `demo`")
    .option("--authority <url>", "ad-hoc profile: authority URL (or an External ID tenant subdomain)")
    .option("--client-id <id>", "ad-hoc profile: application (client) ID")
    .addOption(new Option("--tenant-type <type>", "ad-hoc profile: `external` when --authority is an External ID tenant's custom URL domain").choices(["external"]))
    .option("--scopes <scopes>", "space-separated scopes (default: the profile's)")
    .option("--graph-url <url>", "ad-hoc profile: Microsoft Graph base URL")
    .option("--ca-file <path>", "ad-hoc profile: extra CA certificate (PEM) to trust for the identity provider")
    .option("--account <username>", "use this signed-in account (default: the one that signed in last)")
    .version(packageVersion(), "-V, --version", "print the version")
    .showHelpAfterError("(run `entra-tray --help` for usage)")
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  program
    .command("login")
    .description("sign in (opens the browser, or prints a device code with --device-code)")
    .option("--device-code", "sign in on another device: print a code and a URL instead of opening a browser")
    .option("--select-account", "let the identity provider offer another account")
    .option("--login-hint <username>", "prefill the username")
    .option("--timeout <sec>", "give up after this many seconds", seconds, 300)
    .action(async (_opts, command: Command) => (await import("./commands/login.js")).loginCommand(io, command.optsWithGlobals()));

  program
    .command("logout")
    .description("sign out: forget the account here and end the session at the identity provider")
    .option("--no-browser", "only forget the account here; print the identity provider's sign-out URL")
    .option("--all", "sign out every account of the profile")
    .action(async (_opts, command: Command) => (await import("./commands/logout.js")).logoutCommand(io, command.optsWithGlobals()));

  program
    .command("token")
    .description("print an access token valid for at least --min-valid seconds, refreshing it if needed")
    .option("--min-valid <sec>", "minimum remaining validity in seconds", seconds, 300)
    .addOption(new Option("--json", "print JSON with the expiry, scopes and account").conflicts("header"))
    .option("--header", "print an HTTP Authorization header")
    .option("--no-interactive", "never open a browser; exit 4 when a sign-in is needed")
    .option("--timeout <sec>", "when a sign-in is needed, give up on it after this many seconds", seconds, 300)
    .option("--pop", "print a proof-of-possession token bound to --method and --url (needs the native broker)")
    .option("--method <method>", "with --pop: HTTP method of the request the token signs", "GET")
    .option("--url <url>", "with --pop: URL of the request the token signs")
    .option("--shr-nonce <nonce>", "with --pop: nonce from the resource server's WWW-Authenticate challenge")
    .action(async (_opts, command: Command) => (await import("./commands/token.js")).tokenCommand(io, command.optsWithGlobals()));

  program
    .command("whoami")
    .description("print the signed-in account's ID-token claims")
    .option("--json", "print JSON")
    .action(async (_opts, command: Command) => (await import("./commands/whoami.js")).whoamiCommand(io, command.optsWithGlobals()));

  program
    .command("status")
    .description("print the sign-in state and account of each profile")
    .option("--json", "print JSON")
    .action(async (_opts, command: Command) => (await import("./commands/status.js")).statusCommand(io, command.optsWithGlobals()));

  program
    .command("agent")
    .description("serve tokens to every entra-tray command from this one process until stopped (the token service)")
    .option("--stop", "stop the running agent")
    .action(async (_opts, command: Command) => (await import("./commands/agent.js")).agentCommand(io, command.opts()));

  program
    .command("demo-idp")
    .description("run the embedded demo identity provider (no tenant needed) until Ctrl-C")
    .option("--port <n>", "port to listen on", port)
    .option("--external-id", "shape it like an Entra External ID tenant, served on localhost as its custom URL domain")
    .action(async (_opts, command: Command) => (await import("./commands/demo-idp.js")).demoIdpCommand(io, command.optsWithGlobals()));

  return program;
}
