import { randomUUID } from "node:crypto";
import { ClientAuthError } from "@azure/msal-node";
import type { AccountInfo, AuthenticationResult, INativeBrokerPlugin } from "@azure/msal-node";

type NativeRequest = Parameters<INativeBrokerPlugin["acquireTokenSilent"]>[0];
type NativeSignOutRequest = Parameters<INativeBrokerPlugin["signOut"]>[0];

export type BrokerCall =
  | { method: "acquireTokenInteractive"; request: NativeRequest; windowHandle: Buffer | undefined }
  | { method: "acquireTokenSilent"; request: NativeRequest }
  | { method: "getAllAccounts"; clientId: string }
  | { method: "signOut"; request: NativeSignOutRequest };

/** What the person at the broker's window does next: signs in as `username`, or the broker hangs or fails. */
export type BrokerScript =
  | { do: "signIn"; username: string }
  | { do: "hang" }
  | { do: "fail"; errorCode: string }
  | { do: "cancel" };

/**
 * The OS broker as MSAL sees it, typed to MSAL's INativeBrokerPlugin: it keeps accounts and tokens of its own,
 * records every request MSAL hands it, and ignores forceRefresh as the real broker does (only claims make it
 * issue a new token). Tokens are opaque strings; their lifetime is `tokenLifetimeSec`.
 */
export class FakeBroker implements INativeBrokerPlugin {
  isBrokerAvailable = true;
  readonly calls: BrokerCall[] = [];
  tokenLifetimeSec = 3600;
  private next: BrokerScript | undefined;
  private readonly held = new Map<string, AccountInfo>();
  private readonly tokens = new Map<string, AuthenticationResult>();
  private issued = 0;

  constructor(private readonly tenantId = "11111111-2222-4333-8444-555555555555") {}

  /** Scripts the next interactive sign-in. */
  will(script: BrokerScript): void {
    this.next = script;
  }

  setLogger(): void {}

  async getAccountById(accountId: string): Promise<AccountInfo> {
    const account = this.held.get(accountId);
    if (!account) throw new ClientAuthError("no_account_found", "");
    return account;
  }

  async getAllAccounts(clientId: string): Promise<AccountInfo[]> {
    this.calls.push({ method: "getAllAccounts", clientId });
    return [...this.held.values()];
  }

  async acquireTokenInteractive(request: NativeRequest, windowHandle?: Buffer): Promise<AuthenticationResult> {
    this.calls.push({ method: "acquireTokenInteractive", request, windowHandle });
    const script = this.next;
    this.next = undefined;
    switch (script?.do) {
      case "signIn": {
        const account = this.account(script.username);
        this.held.set(account.nativeAccountId ?? "", account);
        return this.issue(account, request, false);
      }
      case "hang":
        return new Promise<never>(() => undefined);
      case "fail":
        throw new ClientAuthError(script.errorCode, request.correlationId, "the broker reported an error");
      case "cancel":
        throw new ClientAuthError("user_canceled", request.correlationId);
      default:
        throw new Error("The test did not script the broker's sign-in.");
    }
  }

  async acquireTokenSilent(request: NativeRequest): Promise<AuthenticationResult> {
    this.calls.push({ method: "acquireTokenSilent", request });
    const account = this.held.get(request.accountId ?? "");
    if (!account) throw new ClientAuthError("no_account_found", request.correlationId);
    const key = `${request.accountId}|${request.authenticationScheme ?? "Bearer"}|${request.resourceRequestUri ?? ""}`;
    const cached = this.tokens.get(key);
    // Like the real broker: forceRefresh is ignored, requested claims bypass its cache.
    if (cached && !request.claims && (cached.expiresOn?.getTime() ?? 0) > Date.now()) return { ...cached, fromCache: true };
    const fresh = this.issue(account, request, false);
    this.tokens.set(key, fresh);
    return fresh;
  }

  async signOut(request: NativeSignOutRequest): Promise<void> {
    this.calls.push({ method: "signOut", request });
    this.held.delete(request.accountId);
  }

  callsOf<M extends BrokerCall["method"]>(method: M): Extract<BrokerCall, { method: M }>[] {
    return this.calls.filter((call): call is Extract<BrokerCall, { method: M }> => call.method === method);
  }

  private account(username: string): AccountInfo {
    const oid = randomUUID();
    return {
      homeAccountId: `${oid}.${this.tenantId}`,
      environment: "login.microsoftonline.com",
      tenantId: this.tenantId,
      username,
      localAccountId: oid,
      nativeAccountId: `native-${oid}`,
      name: username.split("@")[0] ?? username,
      idTokenClaims: { oid, tid: this.tenantId, preferred_username: username },
    };
  }

  private issue(account: AccountInfo, request: NativeRequest, fromCache: boolean): AuthenticationResult {
    const pop = request.authenticationScheme === "pop";
    return {
      authority: request.authority,
      uniqueId: account.localAccountId,
      tenantId: account.tenantId,
      scopes: request.scopes,
      account,
      idToken: "",
      idTokenClaims: account.idTokenClaims ?? {},
      accessToken: `${pop ? "pop" : "bearer"}-token-${++this.issued}`,
      fromCache,
      expiresOn: new Date(Date.now() + this.tokenLifetimeSec * 1000),
      tokenType: pop ? "pop" : "Bearer",
      correlationId: request.correlationId,
      fromPlatformBroker: true,
    };
  }
}
