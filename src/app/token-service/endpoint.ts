import { lstatSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { appHome } from "../../core/config/app-home.js";

/**
 * Where the token service of one app home listens, and the per-user key its clients must send.
 *
 * POSIX: a Unix domain socket in a folder only the user can enter: `$XDG_RUNTIME_DIR/entra-tray` (a per-user
 * tmpfs that the login manager makes 0700), else `<tmp>/entra-tray-<uid>`. Folder 0700, socket and key 0600.
 * Connecting needs search permission on the folder, so other users (root aside) cannot reach the socket at all;
 * the key (fresh at each start) is a second lock for a folder whose mode someone loosened: a request without it is
 * refused. Node cannot ask for the peer's uid (SO_PEERCRED), hence the folder check and the key. A client also
 * checks that the folder and the socket belong to its own uid before it trusts an answer, so another user cannot
 * squat `<tmp>/entra-tray-<uid>` and hand out tokens of their own.
 *
 * Windows (designed, not tested here): a named pipe named after the home, and the key in the home folder, which
 * only the user can read; libuv gives the pipe a default DACL (full control for the owner, SYSTEM and
 * administrators), so the key is what keeps other users out.
 *
 * Several app homes (ENTRA_TRAY_HOME) each get their own service: the names carry a hash of the home.
 */
export interface ServiceEndpoint {
  folder: string;
  /** The socket's path, or the pipe's name on Windows. */
  socket: string;
  keyFile: string;
  /** The running service's pid, for telling the user which process to end when it hangs. */
  pidFile: string;
  /** The uid that must own the folder and the socket; undefined on Windows. */
  uid: number | undefined;
}

export function serviceEndpoint(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ServiceEndpoint {
  const home = appHome(env, platform);
  const tag = fnv1a64(home);
  if (platform === "win32") {
    return {
      folder: home, socket: `\\\\.\\pipe\\entra-tray-${tag}`, keyFile: path.win32.join(home, `agent-${tag}.key`),
      pidFile: path.win32.join(home, `agent-${tag}.pid`), uid: undefined,
    };
  }
  const uid = process.getuid?.() ?? 0;
  const runtime = env.XDG_RUNTIME_DIR;
  const folder = runtime && path.isAbsolute(runtime) ? path.join(runtime, "entra-tray") : path.join(env.TMPDIR || os.tmpdir(), `entra-tray-${uid}`);
  const file = (extension: string) => path.join(folder, `agent-${tag}.${extension}`);
  return { folder, socket: file("sock"), keyFile: file("key"), pidFile: file("pid"), uid };
}

/** Whether `file` is a directory (or socket) of `uid` that no one else may enter or open; always true on Windows. */
export function ownedPrivately(file: string, uid: number | undefined, kind: "folder" | "socket"): boolean {
  if (uid === undefined) return true;
  const found = lstatSync(file, { throwIfNoEntry: false });
  if (!found || found.uid !== uid) return false;
  return kind === "folder" ? found.isDirectory() && (found.mode & 0o077) === 0 : found.isSocket();
}

/**
 * A 64-bit FNV-1a hash, in 16 hex digits: it only tells one user's app homes apart in a file name (the folder's
 * permissions and the key are the security), and unlike a node:crypto hash it costs a command no start-up time.
 */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, "utf8")) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  return hash.toString(16).padStart(16, "0");
}
