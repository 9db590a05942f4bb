/** What the keeper asks of whoever really obtains tokens (AuthService over MSAL in the app, a fake in tests). */
export interface TokenRequest {
  scopes: string[];
  /** The returned token must have at least this many seconds left; a cached one with less must be refreshed. */
  minValiditySec: number;
  /** Skip any cached access token and redeem the refresh token now. */
  forceRefresh?: boolean;
  /** The account the token is for; absent means the account currently signed in (active). */
  account?: { homeAccountId: string };
}

export interface AccessTokenResult {
  accessToken: string;
  expiresOn: Date;
  /** Scopes the identity provider granted, which can differ from the requested ones. */
  scopes: string[];
  account: { homeAccountId: string; username: string };
}

/** Implementations throw AuthError: kind `interactionRequired` means "sign in again", the rest are worth a retry. */
export interface TokenSource<T extends AccessTokenResult = AccessTokenResult> {
  getToken(request: TokenRequest): Promise<T>;
}
