import { setTimeout as sleep } from "node:timers/promises";
import type { AuthError } from "../errors/auth-error.js";
import { isAuthError } from "../errors/auth-error.js";
import type { Profile } from "../config/profile.js";
import { readCaFile } from "../net/ca-file.js";
import { parseJsonBody, requestBytes, TransportError } from "../net/https-request.js";
import type { HttpsResponse } from "../net/https-request.js";
import { backoffDelayMs } from "../errors/backoff.js";
import {
  graphBusyTooLong,
  graphErrorDetail,
  graphRejectedToken,
  graphStillBusy,
  graphTokenFailure,
  graphTransportError,
  graphUnexpectedAnswer,
  graphUnreadableProfile,
} from "./graph-errors.js";
import { KeptValue } from "./kept-value.js";
import { retryAfterMs } from "./retry-after.js";

/** The signed-in user as Graph's `/me` describes them; Graph sends null for what is not set. */
export interface GraphUser {
  /** The directory object id (Entra's `oid` claim). */
  id: string;
  displayName: string | null;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  userPrincipalName: string | null;
  jobTitle: string | null;
  officeLocation: string | null;
  mobilePhone: string | null;
  preferredLanguage: string | null;
}

export interface GraphPhoto {
  bytes: Buffer;
  /** Media type as Graph sent it, e.g. `image/jpeg`. */
  contentType: string;
}

/**
 * What the popover shows. `noGraph` (the profile names no Graph, e.g. a generic OpenID Provider) and `forbidden`
 * (403: External ID users often may not read their own profile) are normal states with a message to show, not
 * failures; `failed` carries an AuthError with what happened and what to do.
 */
export type GraphResult<T> =
  | { status: "ok"; value: T; fetchedAt: Date }
  | { status: "noGraph"; message: string }
  | { status: "forbidden"; message: string; detail: string }
  | { status: "failed"; error: AuthError };

/** Hands out an access token for the profile's Graph scopes; TokenKeeper.currentToken or AuthService.getToken fit. */
export type GraphTokenProvider = (options: { forceRefresh?: boolean }) => Promise<{ accessToken: string }>;

export interface GraphClientOptions {
  profile: Pick<Profile, "graphUrl" | "caFile">;
  getToken: GraphTokenProvider;
  /** A kept profile or photo younger than this is answered without asking Graph. Default 5 minutes. */
  maxAgeMs?: number;
  /** Deadline for each request, body included. Default 15 s. */
  timeoutMs?: number;
  /** Longest wait a 429/503 `Retry-After` is honoured for; a longer one fails at once and says so. Default 10 s. */
  maxRetryWaitMs?: number;
  /** Retries after 429/503 before giving up. Default 2. */
  maxThrottleRetries?: number;
  /** Wall-clock time in ms, for the age of kept copies and HTTP-date `Retry-After`s. */
  now?: () => number;
}

/**
 * `$select` names exactly the fields the popover shows. They are Graph v1.0's defaults for a user today (plus
 * businessPhones), so selecting them costs nothing, leaves businessPhones out, and keeps the answer the same if the
 * default set ever changes.
 */
export const GRAPH_USER_FIELDS = [
  "id", "displayName", "givenName", "surname", "mail", "userPrincipalName", "jobTitle", "officeLocation",
  "mobilePhone", "preferredLanguage",
] as const satisfies ReadonlyArray<keyof GraphUser>;

const ME = `/me?$select=${GRAPH_USER_FIELDS.join(",")}`;
// The one photo every Graph serves. The sized variants (/me/photos/48x48/$value) exist only for photos kept in
// Exchange Online, and the popover scales a single small image well enough.
const PHOTO = "/me/photo/$value";
const THROTTLED = new Set([429, 503]);

const NO_GRAPH = "This profile names no Microsoft Graph (graphUrl), so only the sign-in's claims are shown.";
const FORBIDDEN = "No permission to read the profile from Microsoft Graph.";

/**
 * Reads the signed-in user's profile and photo from Microsoft Graph (or a national cloud's, or the demo IdP's).
 * A 401 forces one token refresh and a retry; 429/503 wait as `Retry-After` says, up to a cap; answers are kept
 * for `maxAgeMs` and concurrent asks share one request. Never logs; no message carries a token.
 */
export class GraphClient {
  private readonly baseUrl: string | undefined;
  private readonly host: string;
  private readonly maxAgeMs: number;
  private readonly timeoutMs: number;
  private readonly maxRetryWaitMs: number;
  private readonly maxThrottleRetries: number;
  private readonly now: () => number;
  private readonly profileCopy: KeptValue<GraphResult<GraphUser>>;
  private readonly photoCopy: KeptValue<GraphResult<GraphPhoto | null>>;
  private caPem: string | undefined;

  constructor(private readonly options: GraphClientOptions) {
    const { graphUrl } = options.profile;
    this.baseUrl = graphUrl?.replace(/\/+$/, "");
    this.host = graphUrl ? new URL(graphUrl).host : "";
    this.maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? 10_000;
    this.maxThrottleRetries = options.maxThrottleRetries ?? 2;
    for (const [name, value] of Object.entries({ maxAgeMs: this.maxAgeMs, timeoutMs: this.timeoutMs,
      maxRetryWaitMs: this.maxRetryWaitMs, maxThrottleRetries: this.maxThrottleRetries })) {
      if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`GraphClient option ${name} must be a number >= 0, got ${value}.`);
    }
    this.now = options.now ?? Date.now;
    const keep = (result: GraphResult<unknown>) => result.status === "ok" || result.status === "forbidden";
    this.profileCopy = new KeptValue(() => this.load(ME, "application/json", (answer) => this.readUser(answer)), keep, this.now);
    this.photoCopy = new KeptValue(() => this.load(PHOTO, "image/*", (answer) => this.readPhoto(answer)), keep, this.now);
  }

  /** False when the profile names no Graph: every call then answers `noGraph` without a request. */
  get available(): boolean {
    return this.baseUrl !== undefined;
  }

  /** The user's profile; `maxAgeMs: 0` asks Graph again whatever the age of the kept copy. */
  getProfile(options: { maxAgeMs?: number } = {}): Promise<GraphResult<GraphUser>> {
    return this.profileCopy.get(options.maxAgeMs ?? this.maxAgeMs);
  }

  /** The user's photo; `null` when they have none (Graph's 404, which is normal). */
  getPhoto(options: { maxAgeMs?: number } = {}): Promise<GraphResult<GraphPhoto | null>> {
    return this.photoCopy.get(options.maxAgeMs ?? this.maxAgeMs);
  }

  /** Forgets the kept profile and photo, e.g. after a sign-out or an account switch. */
  clear(): void {
    this.profileCopy.clear();
    this.photoCopy.clear();
  }

  private async load<T>(resource: string, accept: string, read: (answer: HttpsResponse<Buffer>) => T): Promise<GraphResult<T>> {
    if (this.baseUrl === undefined) return { status: "noGraph", message: NO_GRAPH };
    try {
      const answer = await this.send(`${this.baseUrl}${resource}`, accept);
      if (answer.status === 403) return { status: "forbidden", message: FORBIDDEN, detail: graphErrorDetail(answer) };
      return { status: "ok", value: read(answer), fetchedAt: new Date(this.now()) };
    } catch (error) {
      if (isAuthError(error)) return { status: "failed", error };
      if (error instanceof TransportError) return { status: "failed", error: graphTransportError(error) };
      throw error;
    }
  }

  /** One GET with a fresh token after a 401 and waits after 429/503; throws AuthError or TransportError. */
  private async send(url: string, accept: string): Promise<HttpsResponse<Buffer>> {
    const extraCaPem = this.extraCaPem();
    let token = await this.token(false);
    let refreshed = false;
    for (let throttled = 0; ; ) {
      const answer = await requestBytes(url, {
        method: "GET",
        headers: { Authorization: `Bearer ${token}`, Accept: accept },
        timeoutMs: this.timeoutMs,
        ...(extraCaPem ? { extraCaPem } : {}),
      });
      if (answer.status === 401) {
        if (refreshed) throw graphRejectedToken(this.host, answer);
        refreshed = true;
        token = await this.token(true);
        continue;
      }
      if (!THROTTLED.has(answer.status)) return answer;
      if (throttled === this.maxThrottleRetries) throw graphStillBusy(this.host, answer.status, throttled);
      throttled += 1;
      const waitMs = retryAfterMs(answer.headers["retry-after"], this.now())
        ?? backoffDelayMs(throttled, { initialMs: 1_000, maxMs: this.maxRetryWaitMs });
      if (waitMs > this.maxRetryWaitMs) throw graphBusyTooLong(this.host, answer.status, waitMs, this.maxRetryWaitMs);
      await sleep(waitMs);
    }
  }

  private async token(forceRefresh: boolean): Promise<string> {
    try {
      return (await this.options.getToken(forceRefresh ? { forceRefresh } : {})).accessToken;
    } catch (error) {
      throw isAuthError(error) ? error : graphTokenFailure(error);
    }
  }

  /** Read once; a read that failed is tried again next time, so a file fixed meanwhile is picked up. */
  private extraCaPem(): string | undefined {
    const file = this.options.profile.caFile;
    return file === undefined ? undefined : (this.caPem ??= readCaFile(file));
  }

  private readUser(answer: HttpsResponse<Buffer>): GraphUser {
    if (answer.status !== 200) throw graphUnexpectedAnswer(this.host, ME, answer);
    const fields = parseJsonBody(answer.body) as Record<string, unknown> | undefined;
    if (typeof fields?.id !== "string") throw graphUnreadableProfile(this.host);
    return Object.fromEntries(GRAPH_USER_FIELDS.map((name) => {
      const value = fields[name];
      return [name, typeof value === "string" ? value : null];
    })) as unknown as GraphUser;
  }

  private readPhoto(answer: HttpsResponse<Buffer>): GraphPhoto | null {
    if (answer.status === 404) return null;
    if (answer.status !== 200) throw graphUnexpectedAnswer(this.host, PHOTO, answer);
    if (answer.body.length === 0) return null;
    const contentType = answer.headers["content-type"]?.split(";")[0]?.trim() || "application/octet-stream";
    return { bytes: answer.body, contentType };
  }
}
