import { spawn } from "node:child_process";
import { once } from "node:events";

/** A process that exists while the test runs; its pid can own a lock file. */
export async function liveProcess(): Promise<{ pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60_000)"], { stdio: "ignore" });
  await once(child, "spawn");
  return { pid: child.pid ?? 0, stop: async () => { child.kill(); await once(child, "exit"); } };
}

/** The pid of a process that has exited, as a crashed holder leaves it. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await once(child, "exit");
  return child.pid ?? 0;
}
