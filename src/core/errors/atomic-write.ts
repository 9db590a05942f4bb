import { randomBytes } from "node:crypto";
import { mkdir, open, rm, rename } from "node:fs/promises";
import path from "node:path";
import { reasonOf } from "./sanitize.js";

/**
 * Replaces `file` whole: writes a temporary file in the same folder (a rename is atomic only within one file system),
 * flushes it to disk, then renames it over the old one. A write cut short (disk full, quota, file-size limit, crash)
 * leaves the previous copy intact and no temporary file behind.
 */
export async function writeFileAtomically(file: string, content: string, mode = 0o600): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const handle = await open(temporary, "wx", mode);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * `mkdir -p` that fails with the real cause: Node's recursive mkdir reports ENOENT when a parent is read-only or
 * not ours, which would send the user looking for a missing folder.
 */
export async function makeFolder(dir: string, mode: number): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode });
  } catch (error) {
    const parent = path.dirname(dir);
    if ((error as NodeJS.ErrnoException).code !== "ENOENT" || parent === dir) throw error;
    await makeFolder(parent, mode);
    await mkdir(dir, { mode }).catch((inner: NodeJS.ErrnoException) => {
      if (inner.code !== "EEXIST") throw inner;
    });
  }
}

// What each errno says ran out or refused, and what a user can do about it.
const WRITE_FAILURES: Record<string, { cause: string; action: string }> = {
  ENOSPC: { cause: "the disk is full", action: "Free some space on that disk, then try again." },
  EDQUOT: { cause: "your disk quota is used up", action: "Free some space within your quota, then try again." },
  EFBIG: { cause: "the file-size limit of this process (ulimit -f) was reached", action: "Raise the limit (ulimit -f unlimited), then try again." },
  EROFS: { cause: "the file system is read-only", action: "Choose a writable folder as the app home with ENTRA_TRAY_HOME, or make this one writable." },
  EACCES: { cause: "permission was denied", action: "Choose a folder you own as the app home with ENTRA_TRAY_HOME, or make this one yours." },
  EPERM: { cause: "permission was denied", action: "Choose a folder you own as the app home with ENTRA_TRAY_HOME, or make this one yours." },
};

/** Why a file could not be written and what to do, for any failure: the known ones in words, the rest as they came. */
export function describeWriteFailure(error: unknown): { cause: string; action: string } {
  return writeFailure(error) ?? { cause: reasonOf(error), action: "Check that the file's folder exists and is yours, then try again." };
}

/** Why a file could not be written ("the disk is full (ENOSPC)") and what to do; undefined for other failures. */
export function writeFailure(error: unknown): { cause: string; action: string } | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known = code === undefined ? undefined : WRITE_FAILURES[code];
  return known && { cause: `${known.cause} (${code})`, action: known.action };
}
