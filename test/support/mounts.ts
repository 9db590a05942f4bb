import { spawnSync } from "node:child_process";

/** Undoes a mount. */
export type Unmount = () => void;

/** Runs `mount ...args`; the reason it failed (mounting needs root), for the test to report as its skip reason. */
function mount(args: string[], target: string): Unmount | string {
  const run = spawnSync("mount", [...args, target], { encoding: "utf8" });
  if (run.status !== 0) return `cannot mount here (${(run.stderr || run.error?.message || "").trim()})`;
  return () => {
    spawnSync("umount", [target]);
  };
}

/** A tmpfs of `size` (e.g. "64k") on `dir`: a disk that fills up for real. */
export const mountTmpfs = (dir: string, size: string): Unmount | string => mount(["-t", "tmpfs", "-o", `size=${size}`, "tmpfs"], dir);

/** `dir` made read-only where it is, as a read-only file system (EROFS), which even root cannot write. */
export function mountReadOnly(dir: string): Unmount | string {
  const bound = mount(["--bind", dir], dir);
  if (typeof bound === "string") return bound;
  const readOnly = mount(["-o", "remount,ro,bind"], dir);
  if (typeof readOnly === "string") bound();
  return typeof readOnly === "string" ? readOnly : bound;
}
