import { afterAll, beforeAll } from "vitest";

/**
 * One thing for the whole test file: started before the first test, stopped after the last (after-hooks run in
 * reverse, so a fixture made from another one stops first). Read the returned getter inside tests and hooks; it
 * throws, naming `name`, before the start.
 */
export function useFileFixture<T>(name: string, start: () => Promise<T>, stop: (value: T) => Promise<void>): () => T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await start();
  });
  afterAll(async () => {
    if (current !== undefined) await stop(current);
    current = undefined;
  });
  return () => {
    if (current === undefined) throw new Error(`${name} is not running: use it inside a test or hook.`);
    return current;
  };
}
