import { describe, expect, it } from "vitest";
import { AuthError } from "../../src/app/index.js";
import { cliAction } from "../../src/cli/how-to.js";

const failing = (remedy?: ConstructorParameters<typeof AuthError>[3]) => new AuthError("config", "Something is off.", "Core's advice.", remedy);

describe("the CLI's how-to for core's remedies", () => {
  it("names the CLI's flags and commands for each remedy core gives as data", () => {
    expect(cliAction(failing({ remedy: { kind: "chooseProfile", choices: ["work", "home"] } })))
      .toBe('Pass --profile with one of: work, home; or set "defaultProfile" in the file.');
    expect(cliAction(failing({ remedy: { kind: "createConfig", file: "/h/config.json", demoProfile: "demo" } })))
      .toBe('Try the built-in "demo" profile with `entra-tray token --profile demo`, or create /h/config.json with your own profiles.');
    expect(cliAction(failing({ remedy: { kind: "createConfig", file: "/h/config.json" } }))).toMatch(/pass --authority and --client-id.*entra-tray demo-idp/);
    expect(cliAction(failing({ remedy: { kind: "bearerInstead" } }))).toMatch(/^Ask for a Bearer token instead \(without --pop\)/);
    expect(cliAction(failing({ remedy: { kind: "startDemoIdp" } }))).toBe("Run `entra-tray demo-idp` in another terminal, then try again.");
    expect(cliAction(failing({ remedy: { kind: "signInAs", loginHint: "bob@x" } }))).toBe("Run `entra-tray login --login-hint bob@x` with the same profile.");
    expect(cliAction(failing({ remedy: { kind: "signInAs", loginHint: "bob@x", selectAccount: true } })))
      .toBe("Run `entra-tray login --select-account --login-hint bob@x` with the same profile.");
  });

  it("keeps core's action when there is no remedy", () => {
    expect(cliAction(failing())).toBe("Core's advice.");
  });
});
