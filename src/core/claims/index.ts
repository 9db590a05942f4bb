export { claimRows, type ClaimRow, type ClaimRowsOptions } from "./claim-rows.js";
export { decodeJwtClaims } from "./decode-jwt-claims.js";
export { tokenExpiry, type TokenExpiry } from "./token-expiry.js";
