import os from "node:os";
import { AuthError } from "../errors/auth-error.js";
import type { AuthErrorKind } from "../errors/auth-error.js";
import { writeFailure } from "../errors/atomic-write.js";
import { LockTimeoutError } from "./file-lock.js";
import type { FileLock } from "./file-lock.js";

// FileLock breaks a lock whose holder died or went silent by itself, so a wait that runs out always means a holder
// that is alive and still working: the errors below say what it is probably waiting for, and never advise deleting
// its lock file (that would let two processes in at once).

/** Takes the lock of the shared token cache, held only while the cache is read from or written to secure storage. */
export const acquireCacheLock = (lock: FileLock): Promise<void> =>
  acquire(lock, "secureStorageUnavailable", (holder) => ({
    message: `${holder.who} has been using the token cache for ${holder.heldSec} s, probably waiting for the keyring (an unlock prompt).`,
    action: `Answer the keyring's unlock prompt if one is open, then try again; if that process seems stuck, ${holder.endIt}.`,
  }));

/** Takes the lock of one profile's token requests, held across a refresh and so across the IdP's answer. */
export const acquireRequestLock = (lock: FileLock, profile: string): Promise<void> =>
  acquire(lock, "unreachable", (holder) => ({
    message: `${holder.who} has been refreshing the token of profile "${profile}" for ${holder.heldSec} s, probably waiting on the identity provider.`,
    action: "Try again in a minute: that process gives up by itself when the identity provider does not answer in time. " +
      `If this keeps happening, check your connection to the identity provider (network, VPN, proxy); if that process seems stuck, ${holder.endIt}.`,
  }));

/** Takes the lock of the remembered active accounts, held for one read-modify-write of a small file. */
export const acquireActiveAccountsLock = (lock: FileLock): Promise<void> =>
  acquire(lock, "unexpected", (holder) => ({
    message: `${holder.who} has been changing the remembered active accounts for ${holder.heldSec} s.`,
    action: `Try again; if that process seems stuck, ${holder.endIt}.`,
  }));

interface Holder {
  /** Starts a sentence: "Another entra-tray process (pid 4242)". */
  who: string;
  heldSec: number;
  /** "end it (pid 4242)". */
  endIt: string;
}

async function acquire(lock: FileLock, kind: AuthErrorKind, describe: (holder: Holder) => { message: string; action: string }): Promise<void> {
  try {
    await lock.acquire();
  } catch (error) {
    const disk = writeFailure(error);
    if (disk) throw new AuthError("secureStorageUnavailable", `The lock file ${lock.path} could not be created: ${disk.cause}.`, disk.action, { cause: error });
    if (!(error instanceof LockTimeoutError)) throw error;
    const { message, action } = describe(holderOf(error));
    throw new AuthError(kind, message, action, { cause: error });
  }
}

function holderOf({ owner, waitedMs }: LockTimeoutError): Holder {
  // No owner: other waiters kept breaking a stale lock, and which one could not be read.
  if (!owner) return { who: "Another entra-tray process", heldSec: Math.round(waitedMs / 1000), endIt: "end the other entra-tray processes" };
  const since = Date.parse(owner.since);
  const heldSec = Math.round((Number.isNaN(since) ? waitedMs : Date.now() - since) / 1000);
  const here = owner.host === os.hostname();
  if (here && owner.pid === process.pid) return { who: "An earlier request in this process", heldSec, endIt: "restart entra-tray" };
  const at = here ? `pid ${owner.pid}` : `pid ${owner.pid} on ${owner.host}`;
  return { who: `Another entra-tray process (${at})`, heldSec, endIt: `end it (${at})` };
}
