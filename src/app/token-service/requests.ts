import type { Profile } from "../../core/config/profile.js";
import type { AppContext } from "../app-context.js";
import type { ProfileSession } from "../profile-session.js";
import { brokenProfileState, type SessionState } from "../session-state.js";
import type { ProfileSelector, Request, Results, StatusResult, WhoamiResult, WireToken } from "./protocol.js";

/** Sessions kept at once; a client naming ever new ad-hoc profiles makes the oldest go. */
const MAX_SESSIONS = 32;

/**
 * Answers the service's requests from one AppContext: one session per profile (and per `--account`), opened at the
 * first request and kept, so every client shares its TokenKeeper: one refresher, one token in memory. Before each
 * request it catches up with what other processes did to the cache (a `login` or `logout` in a terminal).
 */
export class ServiceRequests {
  private readonly sessions = new Map<string, Promise<ProfileSession>>();

  /** `borrow`: a session this process already keeps for the profile (see TokenServiceOptions). */
  constructor(private readonly context: AppContext, private readonly borrow?: (profile: Profile) => ProfileSession | undefined) {}

  async answer(request: Exclude<Request, { op: "stop" }>): Promise<Results[typeof request.op]> {
    await this.context.catchUp();
    switch (request.op) {
      case "token":
        return this.token(request);
      case "whoami":
        return this.whoami(request);
      case "status":
        return this.status(request);
    }
  }

  dispose(): void {
    for (const opening of this.sessions.values()) void opening.then((session) => session.dispose(), () => undefined);
    this.sessions.clear();
  }

  private async token(request: Extract<Request, { op: "token" }>): Promise<WireToken> {
    const session = await this.session(await this.profile(request), request.account);
    const { accessToken, tokenType, expiresOn, scopes, account, warning } = await session.currentToken({
      ...(request.scopes && { scopes: request.scopes }),
      ...(request.minValiditySec !== undefined && { minValiditySec: request.minValiditySec }),
    });
    return { accessToken, tokenType, expiresOn: expiresOn.toISOString(), scopes, account, ...(warning && { warning }) };
  }

  private async whoami(request: ProfileSelector): Promise<WhoamiResult> {
    const session = await this.session(await this.profile(request), request.account);
    const [idTokenClaims, rows, storage] = await Promise.all([session.idTokenClaims(), session.idTokenClaimRows(), session.storage()]);
    const { account } = session.state;
    return { displayName: session.profile.displayName, ...(account && { account }), idTokenClaims, rows, storage };
  }

  /** Each profile's state as `entra-tray status` shows it: one profile when the selector names one, else all. */
  private async status(request: ProfileSelector): Promise<StatusResult> {
    const stateOf = async (profile: Profile, account?: string): Promise<SessionState> => {
      const session = await this.opened(profile, account);
      await this.pin(session, account).catch(() => undefined);
      return session.state;
    };
    const named = request.profile !== undefined || request.adhoc !== undefined;
    const profiles = named ? [await stateOf(await this.profile(request), request.account)]
      : await Promise.all((await this.context.profiles()).map((entry) => ("error" in entry
        ? Promise.resolve(brokenProfileState(entry.name, entry.error)) : stateOf(entry.profile))));
    return { storage: await this.context.storage(), profiles };
  }

  private profile({ profile, adhoc }: ProfileSelector): Promise<Profile> {
    return this.context.profile(adhoc ? { adhoc } : { ...(profile !== undefined && { name: profile }) });
  }

  /** The profile's session working with `account` (else the active one, as every process remembers it). */
  private async session(profile: Profile, account: string | undefined): Promise<ProfileSession> {
    const session = await this.opened(profile, account);
    await this.pin(session, account);
    return session;
  }

  /** Opened at the first request and kept. The profile as resolved now is in the key: an edited config.json gets a new session. */
  private opened(profile: Profile, account: string | undefined): Promise<ProfileSession> {
    // Asked for each request, never kept: the owner may close it (the tray switching profile) at any time.
    const borrowed = account === undefined ? this.borrow?.(profile) : undefined;
    if (borrowed) return Promise.resolve(borrowed);
    const key = JSON.stringify([profile, account ?? null]);
    let opening = this.sessions.get(key);
    if (!opening) {
      opening = this.context.openSession(profile);
      opening.catch(() => this.sessions.delete(key));
      this.sessions.set(key, opening);
      this.evictBeyond(MAX_SESSIONS);
    }
    return opening;
  }

  /** Pins `account` once, and again only after it was signed out and in; throws when it is not signed in. */
  private async pin(session: ProfileSession, account: string | undefined): Promise<void> {
    const active = session.state.account;
    if (account === undefined || active?.homeAccountId === account || active?.username.toLowerCase() === account.toLowerCase()) return;
    await session.useAccount(account);
  }

  private evictBeyond(limit: number): void {
    for (const [key, opening] of this.sessions) {
      if (this.sessions.size <= limit) return;
      this.sessions.delete(key);
      void opening.then((session) => session.dispose(), () => undefined);
    }
  }
}
