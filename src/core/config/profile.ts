/** The three kinds of identity provider a profile can name; detected from the authority URL. */
export type AuthorityKind = "entraExternalId" | "entraId" | "oidc";

export interface Authority {
  kind: AuthorityKind;
  /** Normalized https URL handed to MSAL as `auth.authority` (no trailing slash issues, tenant path kept). */
  url: string;
  /** `host:port` as MSAL's `knownAuthorities` wants it (port included so MSAL skips Microsoft's instance discovery). */
  knownAuthority: string;
  /**
   * Entra External ID: the tenant ID (a GUID, lower case) when the authority names it. The tenant's issuer is
   * `https://<tenant id>.ciamlogin.com/<tenant id>/v2.0`; an authority that names the tenant by domain learns the
   * ID from the discovery document.
   */
  tenantId?: string;
  /** Entra External ID on the tenant's custom URL domain (the profile says `"tenantType": "external"`). */
  customDomain?: boolean;
}

/** A validated, fully resolved profile: everything AuthService needs to talk to one IdP as one app. */
export interface Profile {
  /** Key in the config file (`demo` for the built-in demo profile). */
  name: string;
  displayName: string;
  authority: Authority;
  clientId: string;
  /**
   * Scopes requested for access tokens when the caller names none, e.g. `["User.Read"]`. May be empty for a generic
   * OpenID Provider: MSAL adds openid, profile and offline_access to every request by itself.
   */
  scopes: string[];
  /**
   * Microsoft Graph base URL including the version, e.g. `https://graph.microsoft.com/v1.0`. Absent when the profile
   * names none and the authority implies none (a generic OpenID Provider, or a Microsoft cloud whose Graph is not
   * known, e.g. login.sovcloud-identity.fr): the app then shows ID-token claims only.
   */
  graphUrl?: string;
  /** Absolute path of an extra CA certificate (PEM) to trust for this IdP, e.g. the demo IdP's CA. */
  caFile?: string;
  /**
   * The section of the shared token cache, and the key of the remembered active account, that hold this profile's
   * sign-ins: every process that resolves the same profile finds the same accounts there.
   */
  cacheSection: string;
}

/** How messages name a profile of the config file (here, apart from the schema, which loads zod). */
export const profileWhere = (name: string, file: string): string => `Profile ${JSON.stringify(name)} in ${file}`;
