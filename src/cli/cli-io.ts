/** What a CLI run may touch of the outside world; `main.ts` passes the process's, tests pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Aborted on Ctrl-C, so a pending sign-in is cancelled and its loopback port closed before exit. */
  signal: AbortSignal;
}
