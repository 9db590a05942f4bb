import type { AuthError } from "../app/index.js";

const q = (value: string): string => JSON.stringify(value);

/** The error's action in the CLI's words: core says what to do; where it gave the fix as data, this names the flags. */
export function cliAction(error: AuthError): string {
  const remedy = error.remedy;
  switch (remedy?.kind) {
    case "createConfig":
      return remedy.demoProfile !== undefined
        ? `Try the built-in ${q(remedy.demoProfile)} profile with \`entra-tray token --profile ${remedy.demoProfile}\`, or create ${remedy.file} with your own profiles.`
        : `Create ${remedy.file} with your profiles, pass --authority and --client-id, or try the demo: run \`entra-tray demo-idp\`, then \`entra-tray token --profile demo\`.`;
    case "chooseProfile":
      return `Pass --profile with one of: ${remedy.choices.join(", ")}; or set "defaultProfile" in the file.`;
    case "bearerInstead":
      return "Ask for a Bearer token instead (without --pop), or use a Microsoft Entra ID profile on a machine whose broker works.";
    case "startDemoIdp":
      return "Run `entra-tray demo-idp` in another terminal, then try again.";
    case "signInAs":
      return `Run \`entra-tray login${remedy.selectAccount ? " --select-account" : ""} --login-hint ${remedy.loginHint}\` with the same profile.`;
    case "useRunningService":
      return `\`entra-tray token\` already gets its tokens there; to replace it, run \`entra-tray agent --stop\` first.`;
    case "fixStorage":
    case undefined:
      return error.action;
  }
}
