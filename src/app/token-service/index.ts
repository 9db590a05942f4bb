// The token service's client side, light enough for the CLI to load before it knows whether a service answers.
export { askService, GREET_WITHIN_MS } from "./client.js";
export type { Answer } from "./client.js";
export { serviceEndpoint } from "./endpoint.js";
export type { ServiceEndpoint } from "./endpoint.js";
export type { ProfileSelector, Request, Results, StatusResult, WhoamiResult, WireError, WireToken } from "./protocol.js";
export type { AccountState, SessionState, StorageState } from "../session-state.js";
export type { ClaimRow } from "../../core/claims/claim-rows.js";
