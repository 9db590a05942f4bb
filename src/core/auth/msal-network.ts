import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { requestJson, TransportError } from "../net/https-request.js";
import { authorityEndpoints } from "./authority-metadata.js";
import type { AuthorityEndpoints } from "./authority-metadata.js";

/** An OAuth error answer (`{"error": ...}` with a 4xx/5xx status), as the identity provider sent it. */
export interface OAuthErrorAnswer {
  host: string;
  status: number;
  error: string;
  description?: string;
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

  private async send<T>(
    method: "GET" | "POST",
    url: string,
    options: NetworkRequestOptions | undefined,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const host = new URL(url).host;
    const timeoutMs = timeout ?? this.options.timeoutMs;
    try {
      const response = await requestJson(url, {
        method,
        headers: options?.headers ?? {},
        ...(options?.body !== undefined ? { body: options.body } : {}),
        ...(this.options.extraCaPem ? { extraCaPem: this.options.extraCaPem } : {}),
        ...(timeoutMs ? { timeoutMs } : {}),
      });
      this.observe(host, url, response.status, response.body);
      if (method === "POST" && this.observation.unexpectedAnswer) throw new UnexpectedAnswerError(host, response.status);
      // MSAL reads `error` fields from the body itself; a non-JSON body becomes an empty object it can inspect.
      return { status: response.status, headers: response.headers, body: (response.body ?? {}) as T };
    } catch (error) {
      if (error instanceof TransportError) this.observation.transportFailure = error;
      throw error;
    }
  }

  private observe(host: string, url: string, status: number, body: unknown): void {
    const discovery = new URL(url).pathname.endsWith("/.well-known/openid-configuration");
    if (status < 400 && body !== undefined) {
      const endpoints = discovery ? authorityEndpoints(body) : undefined;
      if (endpoints) this.observation.discovered = endpoints;
      return;
    }
    const answer = body as { error?: unknown; error_description?: unknown } | undefined;
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
      };
    }
  }
}
