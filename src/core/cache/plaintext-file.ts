import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { AuthError } from "../errors/auth-error.js";
import { writeFileAtomically, writeFailure } from "../errors/atomic-write.js";
import type { CacheBackend } from "./shared-cache-plugin.js";
import { innermostReason } from "./storage-problem.js";

/**
 * The cache document in a file only the user can read (allowPlaintextCache), replaced whole on every save so that a
 * full disk or a crash mid-write never costs the sign-ins saved before. Throws when the file cannot be used.
 */
export async function openPlaintextFile(file: string): Promise<CacheBackend> {
  const read = async () => {
    try {
      return await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  };
  const backend: CacheBackend = {
    // Said here: the plugin describes a failed load through describeFailure, whose words are a write's.
    load: () => read().catch((error: unknown) => {
      throw fileFailure(error, (cause) => `The plaintext token file ${file} could not be read: ${cause}.`, READ_ACTION);
    }),
    save: (text) => writeFileAtomically(file, text, 0o600),
    unreadableWhenLoadFails: false,
    describeFailure: (error) =>
      fileFailure(error, (cause) => `The plaintext token file ${file} could not be written: ${cause}; the sign-ins saved before are intact.`, WRITE_ACTION),
    async keepAside(text) {
      // Only the shape is worth keeping for diagnosis: token values would stay on disk, usable, for good.
      await removeAsideCopies(file);
      const aside = `${file}.unreadable-${timestamp()}`;
      await writeFileAtomically(aside, withoutSecrets(text ?? ""), 0o600).catch((error: unknown) => {
        throw fileFailure(error, (cause) => `${aside} could not be written: ${cause}`, WRITE_ACTION);
      });
      return `at ${aside}, its token values removed`;
    },
  };
  // Made at once, empty, so that its mode is ours from the start and a folder it cannot be made in shows now.
  await writeFile(file, "", { flag: "wx", mode: 0o600 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
  await read();
  return backend;
}

const READ_ACTION = "Check that you own the token-cache folder in the entra-tray home and may read the file.";
const WRITE_ACTION = "Check that you own the token-cache folder in the entra-tray home and that its disk has room.";

/** A failed file operation as a storage problem: the known causes (disk full, read-only, ...) in words, with their fix. */
function fileFailure(error: unknown, message: (cause: string) => string, action: string): AuthError {
  if (error instanceof AuthError) return error;
  const known = writeFailure(error);
  return new AuthError("secureStorageUnavailable", message(known?.cause ?? innermostReason(error)), known?.action ?? action, { cause: error });
}

/** MSAL keeps every token's value under "secret"; a torn copy may end inside one. */
const withoutSecrets = (text: string) => text.replace(/("secret"\s*:\s*")(?:[^"\\]|\\.)*"?/g, '$1(removed)"');

/** Deletes the copies set aside from `file` (older versions kept them whole, refresh tokens included). */
export async function removeAsideCopies(file: string): Promise<void> {
  const prefix = `${path.basename(file)}.unreadable-`;
  const names = await readdir(path.dirname(file)).catch(() => []);
  await Promise.all(names.filter((name) => name.startsWith(prefix)).map((name) => rm(path.join(path.dirname(file), name), { force: true })));
}

/** File-name safe and sortable, for copies set aside: 2026-11-21T21-51-40-123Z. */
export const timestamp = (): string => new Date().toISOString().replace(/[:.]/g, "-");
