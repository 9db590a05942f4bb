import { AsyncLocalStorage } from "node:async_hooks";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { durationText } from "../errors/time-units.js";
import { DEFAULT_TIMEOUT_MS, requestBytes, requestJson, TransportError } from "../net/https-request.js";
import type { HttpsResponse } from "../net/https-request.js";
import { authorityEndpoints } from "./authority-metadata.js";
import type { AuthorityEndpoints } from "./authority-metadata.js";

/** An OAuth error answer (`{"error": ...}` with a 4xx/5xx status), as the identity provider sent it. */
export interface OAuthErrorAnswer {
  host: string;
  status: number;
  error: string;
  description?: string;
  /** The scopes an invalid_scope answer is about, when the identity provider names them (oidc-provider does). */
  scope?: string;
}

/** Thrown for an `unexpectedAnswer`: handed to MSAL as an answer, its empty body would pass for a token response. */
export class UnexpectedAnswerError extends Error {
  override readonly name = "UnexpectedAnswerError";

  constructor(readonly host: string, readonly status: number) {
    super(`${host} answered HTTP ${status} without an OAuth error`);
  }
}

/** What the network saw during one MSAL call; MSAL itself drops these details (it says only "network error"). */
export interface NetworkObservation {
  transportFailure?: TransportError;
  /** The answer when the OpenID discovery document could not be fetched as JSON (e.g. 404 for a wrong path). */
  discoveryAnswer?: { host: string; status: number };
  /** The endpoints of a discovery document that was fetched, usable by MSAL. */
  discovered?: AuthorityEndpoints;
  /**
   * A post answered with an HTTP error status but no OAuth error (e.g. 404 where a saved endpoint no longer exists,
   * or a proxy's 502 page).
   */
  unexpectedAnswer?: { host: string; status: number };
  oauthError?: OAuthErrorAnswer;
}

/** The time limit of a whole sign-in, which each of its requests must end within. */
interface Deadline {
  at: number;
  totalMs: number;
}

// MSAL gives its network client no context of the call a request belongs to; the async context carries it, so a
// sign-in's requests share its deadline while other calls of the same app (silent refreshes) keep their own limit.
const deadlines = new AsyncLocalStorage<Deadline>();

/** Runs `work` so that every request it makes through an ObservedNetworkModule ends within `totalMs` from now. */
export const withinDeadline = <T>(totalMs: number, work: () => Promise<T>): Promise<T> =>
  deadlines.run({ at: Date.now() + totalMs, totalMs }, work);

const POLLING_ANSWERS = new Set(["authorization_pending", "slow_down"]);

/**
 * MSAL's network client for every profile: HTTPS with an optional extra CA, and a record of what went wrong
 * so the error messages can name the cause (MSAL swallows it) and the service can tell when a token request
 * actually goes to the identity provider.
 */
export class ObservedNetworkModule implements INetworkModule {
  private observation: NetworkObservation = {};

  constructor(
    private readonly options: {
      extraCaPem?: string;
      timeoutMs?: number;
      /** Called when MSAL posts to the identity provider (token or device-code endpoint). */
      onPost?: () => void;
    } = {},
  ) {}

  /** Returns what was seen since the last call and starts a fresh record. */
  takeObservation(): NetworkObservation {
    const seen = this.observation;
    this.observation = {};
    return seen;
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>("GET", url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    this.options.onPost?.();
    return this.send<T>("POST", url, options);
  }

  /**
   * A page as a browser would first get it: one GET, redirects not followed, no cookies or credentials, within the
   * sign-in's deadline. Not observed: it is not one of MSAL's requests.
   */
  getPage(url: string, timeoutMs: number): Promise<HttpsResponse<Buffer>> {
    return requestBytes(url, {
      method: "GET",
      headers: { Accept: "text/html" },
      ...(this.options.extraCaPem ? { extraCaPem: this.options.extraCaPem } : {}),
      timeoutMs: Math.min(timeoutMs, this.timeLeft().left),
    });
  }

  /** The deadline of the sign-in this request belongs to, if any, and the time left until it. */
  private timeLeft(): { deadline: Deadline | undefined; left: number } {
    const deadline = deadlines.getStore();
    return { deadline, left: deadline ? Math.max(1, deadline.at - Date.now()) : Infinity };
  }

  private async send<T>(
    method: "GET" | "POST",
    url: string,
    options: NetworkRequestOptions | undefined,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const host = new URL(url).host;
    const ownLimit = timeout ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const { deadline, left } = this.timeLeft();
    const timeoutMs = Math.min(ownLimit, left);
    try {
      const response = await requestJson(url, {
        method,
        headers: options?.headers ?? {},
        ...(options?.body !== undefined ? { body: options.body } : {}),
        ...(this.options.extraCaPem ? { extraCaPem: this.options.extraCaPem } : {}),
        timeoutMs,
      });
      this.observe(host, url, response.status, response.body);
      if (method === "POST" && this.observation.unexpectedAnswer) throw new UnexpectedAnswerError(host, response.status);
      // MSAL reads `error` fields from the body itself; a non-JSON body becomes an empty object it can inspect.
      return { status: response.status, headers: response.headers, body: (response.body ?? {}) as T };
    } catch (error) {
      const failure = deadline && left <= ownLimit && error instanceof TransportError && error.kind === "timeout"
        ? new TransportError("timeout", host, `no answer before the sign-in's time limit (${durationText(deadline.totalMs)}) ran out`, error.code, { cause: error })
        : error;
      if (failure instanceof TransportError) this.observation.transportFailure = failure;
      throw failure;
    }
  }

  private observe(host: string, url: string, status: number, body: unknown): void {
    const discovery = new URL(url).pathname.endsWith("/.well-known/openid-configuration");
    if (status < 400 && body !== undefined) {
      const endpoints = discovery ? authorityEndpoints(body) : undefined;
      if (endpoints) this.observation.discovered = endpoints;
      return;
    }
    const answer = body as { error?: unknown; error_description?: unknown; scope?: unknown } | undefined;
    if (discovery) {
      this.observation.discoveryAnswer = { host, status };
    } else if (status >= 400 && typeof answer?.error !== "string") {
      this.observation.unexpectedAnswer = { host, status };
    }
    // Device-code polling answers "authorization_pending" until the user is done: that is progress, not an error.
    if (typeof answer?.error === "string" && !POLLING_ANSWERS.has(answer.error)) {
      this.observation.oauthError = {
        host,
        status,
        error: answer.error,
        ...(typeof answer.error_description === "string" ? { description: answer.error_description } : {}),
        ...(typeof answer.scope === "string" ? { scope: answer.scope } : {}),
      };
    }
  }
}
