import type * as FsPromises from "node:fs/promises";

// Lets a test act just before the code under test lists a folder, as another process could in a race: change the
// files, or hand back an out-of-date listing. A test file installs it with
//   vi.mock("node:fs/promises", async (real) => (await import("<this file>")).withReaddirHook(await real()));
type Hook = () => Promise<string[] | void>;
let next: Hook | undefined;

/** Runs `hook` before the next readdir; a listing it returns is what that readdir answers. */
export function beforeNextReaddir(hook: Hook): void {
  next = hook;
}

/** Whether a hook is still waiting for a readdir. */
export const readdirHookPending = (): boolean => next !== undefined;

/** Drops a hook a failed test left unused, so that it cannot reach the next test. */
export function clearReaddirHook(): void {
  next = undefined;
}

export function withReaddirHook(real: typeof FsPromises): typeof FsPromises {
  const readdir = (async (...args: Parameters<typeof real.readdir>) => {
    const hook = next;
    next = undefined;
    return (await hook?.()) ?? real.readdir(...args);
  }) as typeof real.readdir;
  return { ...real, readdir };
}
