import path from "node:path";
import { applyEdits, modify } from "jsonc-parser";
import { describeWriteFailure, makeFolder, writeFileAtomically } from "../errors/atomic-write.js";
import { ConfigError } from "../errors/config-error.js";
import { configFilePath } from "./app-home.js";
import { readConfigSource } from "./load-config.js";
import { parseProfile, PROFILE_NAME, type RawProfile } from "./profile-schema.js";

/**
 * Adds a profile to config.json (the file the CLI reads too), after the same checks the file's own profiles get.
 * The rest of the file is kept as it was written; the first profile of a file also becomes its `defaultProfile`,
 * so the CLI uses it without `--profile`, unless the file's default names one of `builtins` (the app's built-in
 * profiles, which a file may choose as its default). Throws ConfigError, its `field` naming the value at fault.
 */
export async function addProfile(home: string, name: string, raw: RawProfile, builtins: readonly string[] = []): Promise<void> {
  const file = configFilePath(home);
  if (!PROFILE_NAME.test(name)) {
    throw new ConfigError(`The profile name ${JSON.stringify(name)} may contain only letters, digits, ".", "_" and "-", starting with a letter or digit.`,
      'Choose a name such as "work" or "contoso-test".', { field: "name" });
  }
  parseProfile(raw, `New profile ${JSON.stringify(name)}`);
  // A file that does not parse is the person's to fix: rewriting it would lose what they meant.
  const read = await readConfigSource(home, file);
  const config = read?.config;
  if (config && Object.hasOwn(config.profiles, name)) {
    throw new ConfigError(`There is already a profile named ${JSON.stringify(name)} in ${file}.`, "Choose another name, or edit that profile in config.json.", { field: "name" });
  }
  const text = read?.source ?? "{}";
  const formattingOptions = { insertSpaces: true, tabSize: 2, eol: "\n" };
  let next = applyEdits(text, modify(text, ["profiles", name], raw, { formattingOptions }));
  // In a file without profiles, a default that is not a built-in profile names nothing: the new profile replaces it.
  const keptDefault = config?.defaultProfile !== undefined && builtins.includes(config.defaultProfile);
  if (!config || (Object.keys(config.profiles).length === 0 && !keptDefault)) {
    next = applyEdits(next, modify(next, ["defaultProfile"], name, { formattingOptions }));
  }
  try {
    await makeFolder(path.dirname(file), 0o700);
    await writeFileAtomically(file, next.endsWith("\n") ? next : `${next}\n`, 0o600);
  } catch (error) {
    const { cause, action } = describeWriteFailure(error);
    throw new ConfigError(`The profile could not be added: ${file} could not be written (${cause}).`, action, { cause: error });
  }
}
