import type { BrowserContext, Page } from "playwright-core";

export interface SignInChoice {
  /** The demo user's username, e.g. alice@demo.entra-tray.test. */
  user: string;
  password: string;
  /** Default "approve". */
  consent?: "approve" | "deny";
}

export interface DemoChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

export function spkiSha256(pem: string): string;
export function launchDemoChromium(options: { caPem: string; hostNames?: string[] }): Promise<DemoChromium>;
export function completeSignIn(context: BrowserContext, url: string, how: SignInChoice): Promise<void>;
export function abandonSignIn(context: BrowserContext, url: string): Promise<Page>;
export function completeDeviceCode(
  context: BrowserContext,
  verificationUri: string,
  userCode: string,
  how: SignInChoice,
): Promise<void>;
export function completeLogout(context: BrowserContext, url: string): Promise<void>;
