export { probeBroker } from "./broker-probe.js";
export type { BrokerProbe } from "./broker-probe.js";
export { chooseSignInMethod } from "./broker-choice.js";
export type { BrokerChoice, SignInMethod, SignInMethodOptions } from "./broker-choice.js";
export { popNeedsBrokerError, popRequestFields } from "./pop-request.js";
export type { PopRequest, PopRequestFields } from "./pop-request.js";
export { BrokerTimeoutError, brokerFallbackNotice, claimsForcingRefresh, shouldFallBackToBrowser, withBrokerTimeout } from "./broker-requests.js";
