// The token service's client side, light enough for the CLI to load before it knows whether a service answers.
export { askService, stopService, STOP_WITHIN_MS } from "./client.js";
export type { StopOutcome } from "./client.js";
export { serviceEndpoint } from "./endpoint.js";
export type { ProfileSelector, Request, Results, StatusResult, WhoamiResult } from "./protocol.js";
export type { StorageState } from "../session-state.js";
