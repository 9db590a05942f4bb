import type { AccountSummary } from "../../core/auth/auth-state.js";
import type { ClaimRow } from "../../core/claims/claim-rows.js";
import type { RawProfile } from "../../core/config/profile-schema.js";
import type { AuthErrorKind, Remedy } from "../../core/errors/auth-error.js";
import type { AccountState, SessionState, StorageState } from "../session-state.js";

// The token service's wire format: one JSON object per line (newline-delimited JSON), each at most MAX_FRAME_BYTES.
// The service greets every connection first; a client sends requests (several may be in flight, told apart by
// `id`) and gets one reply each. Types only, plus two constants: the CLI's client loads this before it knows
// whether a service runs, so it must stay free of anything heavy.

export const PROTOCOL_VERSION = 1;
/** Requests and replies are small (a token is a few KiB); anything longer is refused unread. */
export const MAX_FRAME_BYTES = 64 * 1024;

/** The first line on every connection, so a client knows within its bound that a live service of its version answers. */
export interface Greeting {
  v: number;
  service: "entra-tray";
  pid: number;
}

/** Which profile: a named one (else the default), or an ad-hoc one given as raw fields (as the CLI's flags give it). */
export interface ProfileSelector {
  profile?: string;
  adhoc?: RawProfile;
  /** A signed-in account (username or home account id) instead of the active one, for this request only. */
  account?: string;
}

export type Request =
  | (ProfileSelector & { op: "token"; scopes?: string[]; minValiditySec?: number })
  | (ProfileSelector & { op: "whoami" })
  /** Every profile unless the selector names one. */
  | (ProfileSelector & { op: "status" })
  | { op: "stop" };

export type Op = Request["op"];

/** What goes over the wire: the request, its version, its id and the per-user key (see endpoint.ts). */
export type Envelope = Request & { v: number; id: number; key: string };

/** A token as the CLI prints it (`token --json`): never the ID token or its claims. */
export interface WireToken {
  accessToken: string;
  tokenType: string;
  /** ISO 8601. */
  expiresOn: string;
  scopes: string[];
  account: AccountSummary;
  warning?: string;
}

export interface WhoamiResult {
  displayName: string;
  /** Undefined when nobody is signed in to the profile. */
  account?: AccountState;
  idTokenClaims: Record<string, unknown>;
  rows: ClaimRow[];
  storage: StorageState;
}

export interface StatusResult {
  storage: StorageState;
  profiles: SessionState[];
}

export interface Results {
  token: WireToken;
  whoami: WhoamiResult;
  status: StatusResult;
  stop: { pid: number };
}

/**
 * Why the service did not even look at a request: the client treats all of these as "no service for me" and
 * answers by itself, so an old service, a restarted one (new key) or a confused one never breaks a command.
 */
export type ProtocolFault = "refused" | "malformed" | "oversized" | "version";

export interface WireError {
  kind: AuthErrorKind;
  message: string;
  action: string;
  remedy?: Remedy;
  fault?: ProtocolFault;
}

export type Reply<T = unknown> = { v: number; id: number | null } & ({ ok: true; result: T } | { ok: false; error: WireError });
