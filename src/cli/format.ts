import type { AccountSummary, TokenResult } from "../app/index.js";

export type TokenFormat = "plain" | "json" | "header";

/** What `token` prints, whether the token service or this process got it. */
export type PrintedToken = Pick<TokenResult, "accessToken" | "tokenType" | "expiresOn" | "scopes" | "account" | "warning">;

/** The contract's account object: every key always present (`name` is null when the ID token has none). */
export const accountJson = ({ username, name, homeAccountId }: Pick<AccountSummary, "username" | "homeAccountId"> & { name?: string | null }) => ({ username, name: name ?? null, homeAccountId });

/** `entra-tray token` output; the JSON shape is part of the CLI contract (README). */
export function formatToken(result: PrintedToken, format: TokenFormat): string {
  switch (format) {
    case "plain":
      return result.accessToken;
    case "header":
      return `Authorization: ${authorizationScheme(result.tokenType)} ${result.accessToken}`;
    case "json":
      return JSON.stringify({
        accessToken: result.accessToken,
        tokenType: result.tokenType,
        expiresOn: result.expiresOn.toISOString(),
        scopes: result.scopes,
        account: accountJson(result.account),
      }, null, 2);
  }
}

/** HTTP wants the scheme's canonical spelling whatever case the token response used ("bearer", "pop"). */
const SCHEMES: Record<string, string> = { bearer: "Bearer", pop: "PoP" };
const authorizationScheme = (tokenType: string): string => SCHEMES[tokenType.toLowerCase()] ?? tokenType;
