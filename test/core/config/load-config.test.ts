import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { chmod, mkdir, symlink, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ADHOC_PROFILE_NAME, loadAppSettings, loadProfile, loadProfiles, type ProfileEntry } from "../../../src/core/config/load-config.js";
import type { RawProfile } from "../../../src/core/config/profile-schema.js";
import { GUID, expectConfigError, makeHome, testCa } from "./fixtures.js";

const work: RawProfile = { authority: "https://contoso.ciamlogin.com/", clientId: GUID };
const demo: RawProfile = { displayName: "Demo", authority: "https://localhost:47443", clientId: "entra-tray-demo", scopes: ["api://demo/User.Read"], graphUrl: "https://localhost:47443/v1.0/" };
const builtins = { demo };

/** Loads profile "work" (or `name`) from a config file holding `profile` under that name. */
async function loadOne(profile: unknown, name = "work") {
  const { home, file } = await makeHome({ profiles: { [name]: profile } });
  return { file, load: loadProfile({ home, name }) };
}

describe("loadProfile: defaults", () => {
  it("fills in display name, scopes and Graph for Entra External ID", async () => {
    const { load } = await loadOne(work);
    expect(await load).toEqual({
      name: "work",
      displayName: "work",
      authority: { kind: "entraExternalId", url: "https://contoso.ciamlogin.com/contoso.onmicrosoft.com", knownAuthority: "contoso.ciamlogin.com" },
      clientId: GUID,
      scopes: ["User.Read"],
      graphUrl: "https://graph.microsoft.com/v1.0",
      cacheSection: "work",
    });
  });

  it("reads tenantType external as External ID on a custom URL domain, with the global Graph", async () => {
    const { load } = await loadOne({ authority: `https://login.contoso.com/${GUID}`, tenantType: "external", clientId: GUID });
    expect(await load).toMatchObject({
      authority: { kind: "entraExternalId", knownAuthority: "login.contoso.com", tenantId: GUID, customDomain: true },
      scopes: ["User.Read"], graphUrl: "https://graph.microsoft.com/v1.0",
    });
  });

  it("takes the national cloud's Graph for Entra ID", async () => {
    const { load } = await loadOne({ authority: `https://login.microsoftonline.us/${GUID}`, clientId: GUID });
    expect(await load).toMatchObject({ authority: { kind: "entraId" }, scopes: ["User.Read"], graphUrl: "https://graph.microsoft.us/v1.0" });
  });

  it("treats every Microsoft cloud as Entra ID, and leaves Graph off where the cloud's Graph is not known unless graphUrl names it", async () => {
    for (const host of ["sts.windows.net", "login.usgovcloudapi.net", "login.sovcloud-identity.fr"]) {
      const error = await expectConfigError((await loadOne({ authority: `https://${host}/${GUID}`, clientId: "cli-app" })).load,
        ['clientId "cli-app" is not a GUID'], []);
      expect(error.message).not.toContain("authority");
    }
    const bare = await (await loadOne({ authority: `https://login.sovcloud-identity.fr/${GUID}`, clientId: GUID })).load;
    expect(bare).toMatchObject({ authority: { kind: "entraId" }, scopes: ["User.Read"] });
    expect(bare).not.toHaveProperty("graphUrl");
    const named = await (await loadOne({ authority: `https://login.sovcloud-identity.fr/${GUID}`, clientId: GUID, graphUrl: "https://graph.example.fr/v1.0" })).load;
    expect(named.graphUrl).toBe("https://graph.example.fr/v1.0");
  });

  it("asks a generic OpenID Provider for no API scopes and assumes no Graph", async () => {
    const profile = await (await loadOne({ authority: "https://idp.example.com:8443/", clientId: "cli-app" })).load;
    expect(profile.scopes).toEqual([]);
    expect(profile).not.toHaveProperty("graphUrl");
    expect(profile.authority).toEqual({ kind: "oidc", url: "https://idp.example.com:8443", knownAuthority: "idp.example.com:8443" });
  });

  it("keeps what the file says, trimmed and with the Graph URL's trailing slash removed", async () => {
    const { load } = await loadOne({ displayName: " Contoso ", authority: "contoso", clientId: ` ${GUID} `, scopes: ["Mail.Read"], graphUrl: "https://graph.microsoft.com/beta/" });
    expect(await load).toMatchObject({ displayName: "Contoso", clientId: GUID, scopes: ["Mail.Read"], graphUrl: "https://graph.microsoft.com/beta" });
  });

  it("accepts every scope form Entra and OpenID Providers use", async () => {
    const scopes = ["User.Read", "openid", "offline_access", "read:org", `api://${GUID}/access_as_user`, "api://contoso.com/app/Forecast.Read",
      "https://graph.microsoft.com/.default", `${GUID}/.default`];
    expect((await (await loadOne({ ...work, scopes })).load).scopes).toEqual(scopes);
  });
});

describe("loadProfile: choosing the profile", () => {
  it("uses --profile, else defaultProfile, else the only profile", async () => {
    const { home } = await makeHome({ defaultProfile: "home", profiles: { work, home: { ...work, displayName: "Home" } } });
    expect((await loadProfile({ home, name: "work" })).name).toBe("work");
    expect((await loadProfile({ home })).displayName).toBe("Home");
    const single = await makeHome({ profiles: { work } });
    expect((await loadProfile({ home: single.home })).name).toBe("work");
  });

  it("offers the built-in profiles without a config file, and a file profile of the same name wins", async () => {
    const empty = await makeHome();
    expect(await loadProfile({ home: empty.home, name: "demo", builtins })).toMatchObject({
      name: "demo", displayName: "Demo", clientId: "entra-tray-demo", graphUrl: "https://localhost:47443/v1.0",
      authority: { kind: "oidc", knownAuthority: "localhost:47443" },
    });
    const { home } = await makeHome({ profiles: { demo: work } });
    expect((await loadProfile({ home, name: "demo", builtins })).clientId).toBe(GUID);
  });

  it("validates a built-in profile like any other", async () => {
    const { home } = await makeHome();
    await expectConfigError(loadProfile({ home, name: "demo", builtins: { demo: { ...demo, graphUrl: "http://localhost/v1.0" } } }),
      ['Built-in profile "demo": graphUrl "http://localhost/v1.0" is not an https URL'], ["https://graph.microsoft.com/v1.0"]);
  });

  it("builds an ad-hoc profile from command-line values with the same checks", async () => {
    const { home } = await makeHome({ profiles: { work } });
    expect(await loadProfile({ home, adhoc: { authority: "https://localhost:47443", clientId: "x", scopes: ["openid"] } })).toMatchObject({
      name: ADHOC_PROFILE_NAME, displayName: "localhost:47443", scopes: ["openid"], authority: { knownAuthority: "localhost:47443" },
      // Ad-hoc profiles share a name: their sign-ins are kept apart by what they sign in to.
      cacheSection: expect.stringMatching(/^adhoc https:\/\/localhost:47443\S* x$/),
    });
    await expectConfigError(loadProfile({ home, adhoc: { authority: "contoso", clientId: "Enter_the_Application_Id_Here" } }),
      ['The profile given on the command line: clientId "Enter_the_Application_Id_Here"'], ["Application (client) ID"]);
    await expectConfigError(loadProfile({ home, name: "work", adhoc: work }), ['profile "work"', "ad-hoc profile"], ["either the named profile or the ad-hoc one"]);
  });

  it("points at the demo profile and the config path when there is no config file and no profile named", async () => {
    const { home, file } = await makeHome();
    const error = await expectConfigError(loadProfile({ home, builtins }), ["no config file", file], ['built-in "demo" profile', file]);
    expect(error.remedy).toEqual({ kind: "createConfig", file, demoProfile: "demo" });
  });

  it("lists the profiles that exist when the named one does not", async () => {
    const { home, file } = await makeHome({ profiles: { work, home: work } });
    await expectConfigError(loadProfile({ home, name: "wrok", builtins }), ['Profile "wrok" is not defined', file], ["work, home, demo"]);
    const empty = await makeHome();
    await expectConfigError(loadProfile({ home: empty.home, name: "work", builtins }), ["no config file", empty.file], ["demo", '"work" under "profiles"']);
  });

  it("names defaultProfile when it points nowhere", async () => {
    const { home, file } = await makeHome({ defaultProfile: "gone", profiles: { work } });
    await expectConfigError(loadProfile({ home }), [`${file}: defaultProfile "gone" names no profile`], ["Use one of: work"]);
  });

  it("asks to choose a profile or set defaultProfile when several exist, naming no command-line flag", async () => {
    const { home } = await makeHome({ profiles: { work, home: work } });
    const error = await expectConfigError(loadProfile({ home }), ['no "defaultProfile"'], ["Choose one of these profiles: work, home", '"defaultProfile"']);
    expect(error.action).not.toContain("--");
    expect(error.remedy).toEqual({ kind: "chooseProfile", choices: ["work", "home"] });
  });
});

describe("loadProfile: validation messages name the profile, file and field, and the fix", () => {
  it("the sample's client ID placeholder", async () => {
    const { file, load } = await loadOne({ ...work, clientId: "Enter_the_Application_Id_Here" });
    await expectConfigError(load, [`Profile "work" in ${file}: clientId "Enter_the_Application_Id_Here" contains the placeholder`, "Microsoft's sample"],
      ["Paste the Application (client) ID from the app registration's Overview page"]);
  });

  it("the README's all-zeros example client ID, as any other placeholder", async () => {
    const { file, load } = await loadOne({ ...work, clientId: "00000000-0000-0000-0000-000000000000" });
    await expectConfigError(load, [`Profile "work" in ${file}: clientId "00000000-0000-0000-0000-000000000000" is the all-zeros placeholder from the examples, not a real ID.`],
      ["Paste the Application (client) ID from the app registration's Overview page"]);
  });

  it("the sample's tenant placeholder in the authority", async () => {
    const { file, load } = await loadOne({ ...work, authority: "https://Enter_the_Tenant_Subdomain_Here.ciamlogin.com/" });
    await expectConfigError(load, [`Profile "work" in ${file}: authority "https://Enter_the_Tenant_Subdomain_Here.ciamlogin.com/"`, "placeholder"],
      ["tenant's subdomain"]);
  });

  it("a placeholder inside a scope", async () => {
    const { load } = await loadOne({ ...work, scopes: ["User.Read", "api://Enter_the_Web_Api_Application_Id_Here/Forecast.Read"] });
    await expectConfigError(load, ['scopes[1] "api://Enter_the_Web_Api_Application_Id_Here/Forecast.Read"', "placeholder"], ["Expose an API"]);
  });

  it("a client ID that is not a GUID, for both Entra kinds but not for a generic provider", async () => {
    for (const authority of ["contoso", `https://login.microsoftonline.com/${GUID}`]) {
      const { load } = await loadOne({ authority, clientId: "my-app" });
      await expectConfigError(load, ['clientId "my-app" is not a GUID'], ["Application (client) ID", "Overview"]);
    }
    expect((await (await loadOne({ authority: "https://idp.example.com", clientId: "my-app" })).load).clientId).toBe("my-app");
  });

  it("an http authority", async () => {
    const { load } = await loadOne({ ...work, authority: "http://localhost:3000" });
    await expectConfigError(load, ['Profile "work"', 'authority "http://localhost:3000" does not use https', "authority_uri_insecure"], ["https://localhost:3000"]);
  });

  it("an http Graph URL", async () => {
    const { load } = await loadOne({ ...work, graphUrl: "http://graph.example/v1.0" });
    await expectConfigError(load, ['graphUrl "http://graph.example/v1.0" is not an https URL'], ['Set "graphUrl"']);
  });

  it.each([
    ["User.Read Mail.Read", "contains whitespace", '["User.Read","Mail.Read"]'],
    ["User.Read,Mail.Read", "looks like a comma-separated list", '["User.Read","Mail.Read"]'],
    ["", "is empty", "Remove the empty entry"],
    [`api://${GUID}`, "names no permission", `api://${GUID}/access_as_user`],
    ["http://api.example/read", 'uses "http://"', "Expose an API"],
    ["/User.Read", "is not a scope name", "User.Read, offline_access, api://<application id>/<name>"],
  ])("scope %j", async (scope, problem, fix) => {
    const { load } = await loadOne({ ...work, scopes: ["openid", scope] });
    await expectConfigError(load, [`scopes[1] ${JSON.stringify(scope)} ${problem}`], [fix]);
  });

  it("scopes written as one string", async () => {
    const { load } = await loadOne({ ...work, scopes: "User.Read Mail.Read" });
    await expectConfigError(load, ["scopes must be a JSON list"], ['["User.Read","Mail.Read"]']);
  });

  it("a missing or mistyped required field", async () => {
    await expectConfigError((await loadOne({ clientId: GUID })).load, ["authority is missing"], ['Add "authority"', "https://contoso.ciamlogin.com/"]);
    await expectConfigError((await loadOne({ ...work, clientId: 42 })).load, ["clientId must be a string, not a number"], ["Application (client) ID"]);
    await expectConfigError((await loadOne({ ...work, clientId: "  " })).load, ["clientId is empty"], ['Set "clientId"']);
  });

  it("unknown keys, with the key a typo meant", async () => {
    await expectConfigError((await loadOne({ authority: "contoso", clientID: GUID })).load,
      ['Profile "work"', 'unknown key "clientID"; did you mean "clientId"?'], ['Rename "clientID" to "clientId"']);
    await expectConfigError((await loadOne({ ...work, scope: ["User.Read"] })).load, ['did you mean "scopes"?'], []);
    await expectConfigError((await loadOne({ ...work, colour: "red" })).load, ['unknown key "colour".'], ["displayName, authority, tenantType, clientId, scopes, graphUrl, caFile"]);
    const { home, file } = await makeHome({ profile: { work } });
    await expectConfigError(loadProfile({ home }), [`${file}: unknown key "profile"; did you mean "profiles"?`], []);
  });

  it("a tenantType other than external, and a custom URL domain without its tenant", async () => {
    await expectConfigError((await loadOne({ ...work, tenantType: "workforce" })).load, ['Profile "work"', "tenantType"], ['"external"']);
    await expectConfigError((await loadOne({ authority: "https://login.contoso.com", tenantType: "external", clientId: GUID })).load,
      ['authority "https://login.contoso.com" names no tenant'], ["https://login.contoso.com/<tenant id>"]);
  });

  it("a profile name that cannot be used on the command line", async () => {
    const { home, file } = await makeHome({ profiles: { "my work": work } });
    await expectConfigError(loadProfile({ home }), [file, 'profile name "my work" may contain only'], ['"my-work"']);
  });

  it("a file that is not a JSON object", async () => {
    const { home } = await makeHome([work]);
    await expectConfigError(loadProfile({ home }), ["must hold a JSON object, not a list"], ['{"profiles": {}}']);
  });

  it("not for a bad profile elsewhere in the file, which stays out of the way until it is used", async () => {
    const { home, file } = await makeHome({ profiles: { work, home: { ...work, clientId: "nope" } } });
    expect((await loadProfile({ home, name: "work" })).name).toBe("work");
    await expectConfigError(loadProfile({ home, name: "home" }), [`Profile "home" in ${file}: clientId "nope"`], []);
  });

  it.each([
    ['{\n  "profiles": {\n    "work": { "authority": "contoso" "clientId": "x" }\n  }\n}\n', "comma expected at line 3, column 38"],
    ['{"profiles": {"work": {"scopes": ["openid",]}}}', "value expected at line 1, column 44"],
    ['{"profiles": {}, // mine\n}', "invalid comment token at line 1, column 18"],
    ['\uFEFF{"profiles": ', "value expected at line 1, column 14"],
  ])("invalid JSON %j, with line and column", async (text, where) => {
    const { home, file } = await makeHome(text);
    await expectConfigError(loadProfile({ home }), [`The config file ${file} is not valid JSON: ${where}.`], ["Fix the JSON there"]);
  });

  it("a profile that is not an object", async () => {
    await expectConfigError((await loadOne(null)).load, ['Profile "work"', "the profile must be an object, not null"], ['{"authority"']);
  });

  it("a folder where the config file should be (a read failure that holds even for root)", async () => {
    const { home, file } = await makeHome();
    await mkdir(file);
    await expectConfigError(loadProfile({ home }), [`The config file ${file} cannot be read`, "it is a folder, not a file (EISDIR)"], [`Move the folder ${file}`]);
  });

  // FIFOs, device files and Unix sockets at a path are POSIX things.
  const posix = it.skipIf(process.platform === "win32");

  posix("a named pipe (FIFO) as the config file is refused at once instead of waiting for a writer", async () => {
    const { home, file } = await makeHome();
    await promisify(execFile)("mkfifo", [file]);
    await expectConfigError(loadProfile({ home }), [`The config file ${file} is not a regular file (it is a named pipe (FIFO)).`], [`Replace ${file} with a regular file`]);
  });

  it("a config file that holds JSON's null is refused as not an object", async () => {
    const { home, file } = await makeHome("null");
    await expectConfigError(loadProfile({ home }), [`${file}: the file must hold a JSON object, not null.`], ['Start from {"profiles": {}}']);
  });

  posix("a device as the config file is refused unread", async () => {
    const { home, file } = await makeHome();
    await symlink("/dev/null", file);
    await expectConfigError(loadProfile({ home }), [`The config file ${file} is not a regular file (it is a device).`], [`Replace ${file} with a regular file`]);
  });

  posix("a socket as the config file is refused, saying so (it cannot even be opened)", async () => {
    const { home, file } = await makeHome();
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(file, resolve));
    try {
      await expectConfigError(loadProfile({ home }), [`The config file ${file} is not a regular file (it is a socket).`],
        [`Replace ${file} with a regular file that holds the JSON configuration.`]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("a config file over 1 MiB is refused unread", async () => {
    const { home, file } = await makeHome();
    await writeFile(file, `{"profiles": {}, "padding": "${"x".repeat(2 * 1024 * 1024)}"}`);
    const error = await expectConfigError(loadProfile({ home }), [`The config file ${file} is 2.0 MiB, more than the 1 MiB a config file may have.`], ["a few kilobytes"]);
    expect(error.message.length).toBeLessThan(300);
  });

  it("many profiles, hundreds of brackets but few levels deep, load; an escaped quote does not end a string", async () => {
    const profiles = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`p${i}`, { ...work, scopes: ["User.Read"] }]));
    const { home } = await makeHome({ profiles: { ...profiles, quoted: { ...work, displayName: `a "${"[".repeat(70)}" b` } } });
    expect((await loadProfile({ home, name: "p79" })).name).toBe("p79");
    expect((await loadProfile({ home, name: "quoted" })).displayName).toBe(`a "${"[".repeat(70)}" b`);
  });

  it("nesting thousands deep is a config error naming where, not a stack overflow; brackets in strings do not count", async () => {
    const { home, file } = await makeHome();
    await writeFile(file, `{"x": "${"[".repeat(100)}",\n "y": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
    await expectConfigError(loadProfile({ home }), [`The config file ${file} nests objects or arrays more than 64 deep (at line 2, column 70).`], ["nest only a few levels"]);
  });

  it("a config file the user may not read (EACCES)", async () => {
    const { home, file } = await makeHome({ profiles: { work } });
    await chmod(file, 0o000);
    // Root reads any file regardless of mode, so as root the read runs under an unprivileged effective uid.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      await chmod(home, 0o755);
      process.seteuid?.(65534);
    }
    try {
      await expectConfigError(loadProfile({ home }), [`The config file ${file} cannot be read: permission denied (EACCES)`], ["chmod u+r"]);
    } finally {
      if (asRoot) process.seteuid?.(0);
    }
  });
});

describe("loadProfile: caFile", () => {
  it("resolves a relative path against the config file's folder", async () => {
    const { home } = await makeHome({ profiles: { work: { ...work, caFile: "certs/ca.pem" } } });
    await mkdir(path.join(home, "certs"));
    await writeFile(path.join(home, "certs", "ca.pem"), (await testCa()).pem);
    expect((await loadProfile({ home })).caFile).toBe(path.join(home, "certs", "ca.pem"));
  });

  it("keeps an absolute path", async () => {
    const { home } = await makeHome();
    const ca = path.join(home, "ca.pem");
    await writeFile(ca, (await testCa()).pem);
    expect((await loadProfile({ home, name: "demo", builtins: { demo: { ...demo, caFile: ca } } })).caFile).toBe(ca);
  });

  it("must exist", async () => {
    const { home, file } = await makeHome({ profiles: { work: { ...work, caFile: "ca.pem" } } });
    await expectConfigError(loadProfile({ home }), [`Profile "work" in ${file}: caFile "ca.pem" (${path.join(home, "ca.pem")}) does not exist`],
      ["relative paths start at the config file's folder"]);
  });

  it("must be PEM, not DER or anything else", async () => {
    const { home } = await makeHome({ profiles: { work: { ...work, caFile: "ca.cer" }, other: { ...work, caFile: "notes.txt" } } });
    await writeFile(path.join(home, "ca.cer"), (await testCa()).der);
    await writeFile(path.join(home, "notes.txt"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
    for (const name of ["work", "other"]) {
      await expectConfigError(loadProfile({ home, name }), ["is not a PEM certificate"], ["openssl x509 -inform der"]);
    }
  });

  it("must be a file", async () => {
    const { home } = await makeHome({ profiles: { work: { ...work, caFile: "certs" } } });
    await mkdir(path.join(home, "certs"));
    await expectConfigError(loadProfile({ home }), ['caFile "certs"', "EISDIR"], []);
  });
});

describe("loadProfiles", () => {
  it("lists the file's profiles, then the built-ins they do not override", async () => {
    const { home } = await makeHome({ profiles: { work, home: { ...work, displayName: "Home" } } });
    const names = (entries: ProfileEntry[]) => entries.map((entry) => ("profile" in entry ? entry.profile.displayName : entry.error.message));
    expect(names(await loadProfiles({ home, builtins }))).toEqual(["work", "Home", "Demo"]);
    const shadowing = await makeHome({ profiles: { demo: work } });
    expect((await loadProfiles({ home: shadowing.home, builtins })).map((entry) => "profile" in entry && entry.profile.clientId)).toEqual([GUID]);
    expect((await loadProfiles({ home: (await makeHome()).home, builtins })).map((entry) => entry.name)).toEqual(["demo"]);
  });

  it("returns a broken profile as its error and keeps the others usable", async () => {
    const { home } = await makeHome({ profiles: { broken: { ...work, clientId: "Enter_the_Application_Id_Here" }, work } });
    const [broken, ok] = await loadProfiles({ home });
    expect(broken).toMatchObject({ name: "broken" });
    expect(broken && "error" in broken && broken.error.message).toMatch(/Profile "broken" in .*clientId/);
    expect(ok && "profile" in ok && ok.profile.name).toBe("work");
    expect((await loadProfile({ home, name: "work" })).clientId).toBe(GUID);
    await expectConfigError(loadProfile({ home, name: "broken" }), ['Profile "broken"', "clientId"], ["Overview page"]);
  });
});

describe("loadAppSettings", () => {
  it("reads allowPlaintextCache, off by default and without a file", async () => {
    expect(await loadAppSettings((await makeHome()).home)).toEqual({ allowPlaintextCache: false });
    expect(await loadAppSettings((await makeHome({ profiles: {} })).home)).toEqual({ allowPlaintextCache: false });
    expect(await loadAppSettings((await makeHome({ allowPlaintextCache: true, profiles: {} })).home)).toEqual({ allowPlaintextCache: true });
  });

  it("names the field when it is not a boolean", async () => {
    const { home, file } = await makeHome({ allowPlaintextCache: "yes", profiles: {} });
    await expectConfigError(loadAppSettings(home), [file, "allowPlaintextCache"], ["true or false"]);
  });
});

// Whole sentences for the cases above that only checked a part, and for the rarer ones: what the user reads.
describe("loadProfile: messages word for word", () => {
  /** The message (less its `Profile "work" in <file>: ` prefix) and action for profile "work" holding `profile`. */
  async function refusal(profile: unknown): Promise<[string, string]> {
    const { file, load } = await loadOne(profile);
    const error = await expectConfigError(load, [`Profile "work" in ${file}: `], []);
    return [error.message.slice(`Profile "work" in ${file}: `.length), error.action];
  }

  it.each<[string, unknown, string, string]>([
    ["a Graph URL that is not a URL", { ...work, graphUrl: "graph" }, 'graphUrl "graph" is not an https URL without query or fragment.',
      'Set "graphUrl" to the Graph base URL, e.g. "https://graph.microsoft.com/v1.0".'],
    ["a comma-separated scope with a trailing comma", { ...work, scopes: ["User.Read, Mail.Read,"] },
      'scopes[0] "User.Read, Mail.Read," looks like a comma-separated list, but each entry holds one scope.',
      'Write each scope as its own entry: ["User.Read","Mail.Read"] (on the command line, separate scopes with spaces).'],
    ["a blank scope", { ...work, scopes: [" "] }, 'scopes[0] " " is empty.', "Remove the empty entry."],
    ["a scope with a URI after a name", { ...work, scopes: ["my-api/https://x"] },
      'scopes[0] "my-api/https://x" is not a scope name, a scope URI (api://... or https://...), or <application id>/<name>.',
      "Use a scope such as User.Read, offline_access, api://<application id>/<name>, https://graph.microsoft.com/.default or <application id>/.default."],
    ["an application scope whose ID is not a GUID", { ...work, scopes: ["my-app/.default"] },
      'scopes[0] "my-app/.default" is not a scope name, a scope URI (api://... or https://...), or <application id>/<name>.',
      "Use a scope such as User.Read, offline_access, api://<application id>/<name>, https://graph.microsoft.com/.default or <application id>/.default."],
    ["an application ID URI with only a slash after it", { ...work, scopes: [`api://${GUID}/`] },
      `scopes[0] "api://${GUID}/" names no permission after the application ID URI.`,
      `Append the scope name, e.g. api://${GUID}/access_as_user, or /.default for every permission the app was granted.`],
    ["a scope URI that is only its scheme", { ...work, scopes: ["https://"] }, 'scopes[0] "https://" is not a complete scope URI: it names no host.',
      "Copy the scope exactly as the API registration's \"Expose an API\" page shows it."],
    ["an application ID of a GUID's length that is not one", { ...work, scopes: [`${"0".repeat(36)}/.default`] },
      `scopes[0] "${"0".repeat(36)}/.default" is not a scope name, a scope URI (api://... or https://...), or <application id>/<name>.`,
      "Use a scope such as User.Read, offline_access, api://<application id>/<name>, https://graph.microsoft.com/.default or <application id>/.default."],
    ["a scope URI without a host", { ...work, scopes: ["api:///access_as_user"] }, 'scopes[0] "api:///access_as_user" is not a complete scope URI: it names no host.',
      "Copy the scope exactly as the API registration's \"Expose an API\" page shows it."],
    ["a generic provider's client ID with a space", { authority: "https://idp.example.com", clientId: "my app" },
      'clientId "my app" contains whitespace.', "Paste the client ID the provider issued, without spaces."],
    ["a scope that is not a string", { ...work, scopes: ["openid", 42] }, "scopes[1] must be a string, not a number.", 'Set "scopes" to a list such as ["User.Read"].'],
    ["scopes that are not a list", { ...work, scopes: 42 }, "scopes must be a list, not a number.", 'Set "scopes" to a list such as ["User.Read"].'],
    ["scopes as one string with a trailing space", { ...work, scopes: "User.Read Mail.Read " }, "scopes must be a JSON list, not a string.",
      'Write it as ["User.Read","Mail.Read"].'],
    ["a client ID that is a list", { ...work, clientId: [] }, "clientId must be a string, not a list.",
      "Set \"clientId\" to the Application (client) ID from the app registration's Overview page."],
    ["client_id, as other tools write it", { authority: "contoso", client_id: GUID }, 'unknown key "client_id"; did you mean "clientId"?',
      'Rename "client_id" to "clientId" (keys are case-sensitive).'],
    ["issuer, another tool's name for the authority", { ...work, issuer: "https://idp.example.com" }, 'unknown key "issuer"; did you mean "authority"?',
      'Rename "issuer" to "authority" (keys are case-sensitive).'],
    ["a placeholder in the display name", { ...work, displayName: "Enter_the_Name_Here" },
      `displayName "Enter_the_Name_Here" contains the placeholder "Enter_the_Name_Here" from Microsoft's sample.`, "Replace it with your own value."],
  ])("%s", async (_case, profile, message, action) => {
    expect(await refusal(profile)).toEqual([message, action]);
  });

  it("keeps a Graph URL's path less all its trailing slashes", async () => {
    expect((await (await loadOne({ ...work, graphUrl: "https://graph.microsoft.com/beta//" })).load).graphUrl).toBe("https://graph.microsoft.com/beta");
  });

  it.each<[unknown, string, string]>([
    [{ profiles: [] }, "profiles must be an object, not a list.",
      'Set "profiles" to an object of named profiles, e.g. {"work": {"authority": "https://contoso.ciamlogin.com/", "clientId": "<application id>"}}.'],
    [{ profiles: { "my  work": work } }, 'profile name "my  work" may contain only letters, digits, ".", "_" and "-".', 'Rename it, e.g. "my-work".'],
    [{ profiles: { "__work": work } }, 'profile name "__work" may contain only letters, digits, ".", "_" and "-".', 'Rename it, e.g. "work".'],
    [{ profiles: { " my work": work } }, 'profile name " my work" may contain only letters, digits, ".", "_" and "-".', 'Rename it, e.g. "my-work".'],
  ])("file %j", async (config, message, action) => {
    const { home, file } = await makeHome(config);
    expect(await expectConfigError(loadProfile({ home }), [], [])).toMatchObject({ message: `${file}: ${message}`, action });
  });

  it("without a config file or built-in profile, points at the file and the demo identity provider", async () => {
    const { home, file } = await makeHome();
    const error = await expectConfigError(loadProfile({ home }), [], []);
    expect(error).toMatchObject({ message: `No profile was named and there is no config file at ${file}.`,
      action: `Create ${file} with your profiles, or start the demo identity provider and use its profile.` });
    expect(error.remedy).toStrictEqual({ kind: "createConfig", file });
    await expectConfigError(loadProfile({ home, name: "work" }), [`Profile "work" is not defined, and there is no config file at ${file}.`],
      [`Add "work" under "profiles" in ${file}.`]);
  });

  it("with a config file of no profiles, asks for one", async () => {
    const { home, file } = await makeHome({ profiles: {} });
    const error = await expectConfigError(loadProfile({ home }), [], []);
    expect(error).toMatchObject({ message: `No profile was named and ${file} has no "defaultProfile" to fall back on.`,
      action: `Add a profile under "profiles" in ${file}.` });
  });

  it("lists a built-in profile that the file overrides once", async () => {
    const { home } = await makeHome({ profiles: { demo: work, home: work } });
    const error = await expectConfigError(loadProfile({ home, builtins }), [], []);
    expect(error.action).toBe("Choose one of these profiles: demo, home; or set \"defaultProfile\" in the file.");
  });
});

describe("loadProfile: files that cannot be read say why, and keep the system's error", () => {
  it("a missing caFile given as an absolute path, named once", async () => {
    const { home } = await makeHome();
    const ca = path.join(home, "missing.pem");
    const error = await expectConfigError(loadProfile({ home, name: "demo", builtins: { demo: { ...demo, caFile: ca } } }), [], []);
    expect(error.message).toBe(`Built-in profile "demo": caFile ${JSON.stringify(ca)} does not exist.`);
    expect(error.cause).toMatchObject({ code: "ENOENT" });
  });

  it("a config file below something that is a file, not a folder (ENOTDIR)", async () => {
    const { file } = await makeHome({ profiles: { work } });
    const error = await expectConfigError(loadProfile({ home: file }), [], []);
    expect(error).toMatchObject({
      message: `The config file ${path.join(file, "config.json")} cannot be read: part of its path is a file, not a folder (ENOTDIR).`,
      action: `Check the folders on the way to ${path.join(file, "config.json")}.`,
    });
    expect(error.cause).toMatchObject({ code: "ENOTDIR" });
  });

  it("a config file that is a loop of symbolic links: the system's reason", async () => {
    const { home, file } = await makeHome();
    await symlink(file, file);
    await expectConfigError(loadProfile({ home }), [`The config file ${file} cannot be read: ELOOP: too many symbolic links encountered`],
      [`Check that ${file} is a readable file.`]);
  });
});
