import { spawn } from "node:child_process";
import { AuthError } from "../errors/auth-error.js";

/** Opens a URL for the user; resolves once the opener is under way, rejects with an AuthError if it cannot. */
export type BrowserOpener = (url: string) => Promise<void>;

/** How long an opener may take to report failure through its exit status (xdg-open does within milliseconds). */
const EXIT_GRACE_MS = 1_000;

interface Command {
  program: string;
  args: string[];
}

/**
 * The user's browser: `$BROWSER` when set (a colon-separated list, semicolons on Windows, tried in order; `%s` in an entry marks where the
 * URL goes, otherwise it is appended, as xdg-open and Python's webbrowser do), else the platform's opener.
 * The URL is passed as one argument, never through a shell, and is never logged (it carries state and PKCE data).
 * The program runs with `env` as its environment.
 */
export function systemBrowserOpener(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): BrowserOpener {
  // The list separator is the platform's PATH separator, as in Python's webbrowser.
  const fromEnv = env.BROWSER?.split(platform === "win32" ? ";" : ":").map((entry) => entry.trim()).filter(Boolean) ?? [];
  const source = fromEnv.length > 0 ? "$BROWSER" : "the system's URL opener";
  return async (url) => {
    const commands = fromEnv.length > 0
      ? fromEnv.map((entry) => commandFromTemplate(entry, url))
      : [platformCommand(platform, url)];
    const failures: string[] = [];
    for (const command of commands) {
      const failure = await start(command, env);
      if (failure === undefined) return;
      failures.push(`${command.program}: ${failure}`);
    }
    throw new AuthError("config", `The browser could not be opened with ${source} (${failures.join("; ")}).`,
      "Set $BROWSER to a program that opens URLs (e.g. firefox), or use the device-code sign-in.");
  };
}

/** Splits an entry like `firefox --new-window %s` into words (quotes group words) and places the URL. */
function commandFromTemplate(entry: string, url: string): Command {
  const words = [...entry.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
  const hasPlaceholder = words.some((word) => word.includes("%s"));
  const args = words.slice(1).map((word) => word.replaceAll("%s", url));
  return { program: words[0] ?? entry, args: hasPlaceholder ? args : [...args, url] };
}

function platformCommand(platform: NodeJS.Platform, url: string): Command {
  if (platform === "darwin") return { program: "open", args: [url] };
  // Not `cmd /c start`: cmd treats `&` in the query as a command separator. rundll32 gets the URL verbatim.
  if (platform === "win32") return { program: "rundll32.exe", args: ["url.dll,FileProtocolHandler", url] };
  return { program: "xdg-open", args: [url] };
}

/**
 * Starts the program detached. Resolves undefined once it runs and has not failed within a short grace period
 * (browsers keep running; openers like xdg-open exit 0 quickly), or a short reason when it cannot start or exits
 * non-zero at once.
 */
function start(command: Command, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(command.program, command.args, { detached: true, stdio: "ignore", env });
    } catch (error) {
      resolve((error as NodeJS.ErrnoException).code ?? "cannot start");
      return;
    }
    const timer = setTimeout(() => {
      child.removeAllListeners();
      child.unref();
      resolve(undefined);
    }, EXIT_GRACE_MS);
    child.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code === "ENOENT" ? "not found" : (error.code ?? "cannot start"));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? undefined : `exited with ${signal ?? `status ${code}`}`);
    });
  });
}
