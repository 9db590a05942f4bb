import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

export interface TempHome {
  /** Use as ENTRA_TRAY_HOME. */
  path: string;
  remove: () => Promise<void>;
}

export async function makeTempHome(): Promise<TempHome> {
  const path = await mkdtemp(join(tmpdir(), "entra-tray-home-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Throwaway app homes for one test file, all deleted after its last test. Returns a maker of one more. */
export function useTempHomes(): () => Promise<string> {
  const homes: TempHome[] = [];
  afterAll(async () => {
    await Promise.all(homes.splice(0).map((home) => home.remove()));
  });
  return async () => {
    const home = await makeTempHome();
    homes.push(home);
    return home.path;
  };
}
