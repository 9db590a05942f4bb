/**
 * What the well-known claims of ID and access tokens mean, in one line each. Sources: OpenID Connect Core,
 * RFC 7519 / RFC 9068, and Microsoft's ID-token, access-token and optional-claims references.
 */
export interface ClaimInfo {
  label: string;
  description: string;
  /** `time`: a NumericDate (seconds since the epoch). `spaceList`: one string holding a space-separated list. */
  format?: "time" | "spaceList";
}

const clientAuthentication =
  "How the client app proved who it is: 0 = public client (no secret), 1 = client secret, 2 = certificate.";

const CATALOG: Readonly<Record<string, ClaimInfo>> = {
  // Who
  name: { label: "Name", description: "Display name of the user; anyone may be able to set it, so it is for display only." },
  given_name: { label: "Given name", description: "First name of the user." },
  family_name: { label: "Family name", description: "Last name (surname) of the user." },
  middle_name: { label: "Middle name", description: "Middle name of the user." },
  nickname: { label: "Nickname", description: "Another name the user goes by." },
  preferred_username: {
    label: "Username",
    description: "Name the user signs in with (often an email or phone number); it can change, so never use it as a key.",
  },
  email: { label: "Email", description: "Email address reported by the identity provider; not proof that the user owns it." },
  email_verified: { label: "Email verified", description: "Whether the identity provider checked that the user controls the email address." },
  emails: { label: "Emails", description: "Email addresses of the user (Azure AD B2C)." },
  verified_primary_email: { label: "Verified primary email", description: "The user's primary authoritative email address in Entra ID." },
  verified_secondary_email: { label: "Verified secondary email", description: "The user's secondary authoritative email address in Entra ID." },
  upn: { label: "User principal name", description: "The user's sign-in name in the Entra directory; it can change, so use it only for display and hints." },
  unique_name: { label: "Unique name", description: "Readable user name carried by v1.0 tokens; for display only." },
  phone_number: { label: "Phone number", description: "Phone number of the user." },
  phone_number_verified: { label: "Phone verified", description: "Whether the identity provider checked that the user controls the phone number." },
  picture: { label: "Picture", description: "Address of the user's profile picture." },
  locale: { label: "Locale", description: "Language and region the user prefers." },
  zoneinfo: { label: "Time zone", description: "Time zone of the user." },
  birthdate: { label: "Birth date", description: "Birth date of the user." },
  address: { label: "Address", description: "Postal address of the user." },
  oid: {
    label: "Object ID",
    description: "The user's permanent ID in this tenant, identical for every app; Microsoft Graph calls it `id`.",
  },
  sub: {
    label: "Subject",
    description: "Permanent ID of the user as this app sees it; another app receives a different value for the same user.",
  },
  tid: { label: "Tenant ID", description: "The Entra tenant (directory) the user signed in to." },
  idp: {
    label: "Identity provider",
    description: "Who actually authenticated the user when that is not the issuer, e.g. a guest's home tenant or a social provider.",
  },
  acct: { label: "Account status", description: "0 when the user is a member of the tenant, 1 when a guest." },
  ctry: { label: "Country/region", description: "The user's country or region as a two-letter code." },
  tenant_ctry: { label: "Tenant country/region", description: "Country or region set for the tenant by its admin." },
  tenant_region_scope: { label: "Tenant region", description: "Geographic region of the tenant." },
  // Issued by, for
  iss: { label: "Issuer", description: "The token service that issued and signed the token; for Entra its URL also names the tenant." },
  aud: { label: "Audience", description: "Whom the token is for: this app's client ID in an ID token, the called API in an access token." },
  azp: { label: "Authorized party", description: "Client ID of the app the token was issued to (v2.0 tokens)." },
  appid: { label: "Application ID", description: "Client ID of the app the token was issued to (v1.0 tokens)." },
  client_id: { label: "Client ID", description: "Client ID of the app the token was issued to (JWT access tokens, RFC 9068)." },
  azpacr: { label: "Client authentication", description: clientAuthentication },
  appidacr: { label: "Client authentication", description: clientAuthentication },
  idtyp: { label: "Token type", description: "`app` for a token the app got for itself, `user` when the API asks to see it on user tokens too." },
  ver: { label: "Token version", description: "Format version of the token (Entra: 1.0 or 2.0)." },
  // When
  exp: { label: "Expires", description: "From this moment on the token is rejected.", format: "time" },
  iat: { label: "Issued at", description: "When the token was issued.", format: "time" },
  nbf: { label: "Not before", description: "The token is rejected before this moment.", format: "time" },
  auth_time: {
    label: "Signed in at",
    description: "When the user last actually authenticated; refreshing tokens does not move it.",
    format: "time",
  },
  updated_at: { label: "Profile updated", description: "When the user's profile information last changed.", format: "time" },
  pwd_exp: { label: "Password expiry", description: "Seconds after issue at which the user's password expires; sent only when that is near." },
  pwd_url: { label: "Change password", description: "Where the user can change the password." },
  // What it allows
  scp: {
    label: "Scopes",
    description: "Delegated permissions the app holds for the called API, on the user's behalf.",
    format: "spaceList",
  },
  scope: { label: "Scopes", description: "Permissions granted to the client by this token.", format: "spaceList" },
  roles: {
    label: "Roles",
    description: "App roles assigned to the user on the target app (or to the app itself in an app-only token).",
  },
  groups: { label: "Groups", description: "Object IDs of the groups the user belongs to, as the app registration asks." },
  hasgroups: {
    label: "Has groups",
    description: "The user is in more groups than fit in the token; read the groups from Microsoft Graph instead.",
  },
  _claim_names: { label: "Claims elsewhere", description: "Claims (usually groups) too large for the token, with the source holding each." },
  _claim_sources: { label: "Claim sources", description: "Where the claims too large for the token can be fetched." },
  wids: { label: "Directory roles", description: "Template IDs of the tenant-wide Entra roles the user holds." },
  amr: {
    label: "Sign-in methods",
    description: "How the user authenticated, e.g. pwd = password, otp = one-time code, mfa = multi-factor.",
  },
  acr: { label: "Assurance level", description: "Authentication context class: how strong the sign-in was, as the provider defines it." },
  acrs: { label: "Auth contexts", description: "Conditional Access authentication contexts this sign-in satisfies, for step-up checks." },
  tfp: { label: "Policy", description: "Azure AD B2C user flow or custom policy that issued the token." },
  cnf: { label: "Bound key", description: "Key the token is bound to (proof of possession): callers must prove they hold it." },
  xms_cc: {
    label: "Client capabilities",
    description: "What the client declared it can handle; cp1 means claims challenges (Conditional Access, continuous access evaluation).",
  },
  xms_edov: { label: "Email domain verified", description: "Whether the owner of the email address's domain has been verified." },
  xms_pdl: { label: "Preferred data location", description: "Geographic region that holds the user's data in a multi-geo tenant." },
  xms_pl: { label: "User language", description: "Language the user prefers, e.g. en-us." },
  xms_tpl: { label: "Tenant language", description: "Language the tenant prefers, e.g. en." },
  ipaddr: { label: "IP address", description: "Address the user signed in from." },
  in_corp: { label: "Corporate network", description: "Present when the user signed in from inside the corporate network." },
  onprem_sid: { label: "On-premises SID", description: "Security identifier of the user in on-premises Active Directory." },
  // Session and protocol
  sid: { label: "Session ID", description: "Identifies the sign-in session, so it can be ended on its own." },
  login_hint: {
    label: "Login hint",
    description: "Opaque value to pass back as login_hint to sign the same account in again without asking; do not edit it.",
  },
  nonce: { label: "Nonce", description: "Random value from the sign-in request, echoed back so a replayed token is detected." },
  jti: { label: "Token ID", description: "Unique identifier of this token, so replays can be detected." },
  uti: { label: "Token ID", description: "Unique identifier of this token (Entra's name for jti)." },
  at_hash: { label: "Access token hash", description: "Hash of the access token issued together with this ID token, to tie the two." },
  c_hash: { label: "Code hash", description: "Hash of the authorization code issued together with this ID token, to tie the two." },
  aio: { label: "Internal (aio)", description: "Opaque data Entra keeps for its own token reuse; not meant to be read." },
  rh: { label: "Internal (rh)", description: "Opaque data Entra uses to revalidate tokens; not meant to be read." },
};

/** Directory extension attributes: `extension_<app id without dashes>_<attribute>` (External ID, B2C, Entra ID). */
const EXTENSION_ATTRIBUTE = /^extension_[0-9a-f]{32}_(.+)$/i;

export function claimInfo(key: string): ClaimInfo | undefined {
  if (Object.hasOwn(CATALOG, key)) return CATALOG[key];
  const extension = EXTENSION_ATTRIBUTE.exec(key);
  if (extension) {
    return { label: `Custom attribute: ${extension[1]}`, description: "A custom user attribute defined in the tenant." };
  }
  if (key.startsWith("xms_")) {
    return { label: key, description: "A Microsoft-specific claim (xms_ prefix)." };
  }
  return undefined;
}

/**
 * Rows appear in this order: who the user is, who issued the token for whom, when it is valid, what it allows.
 * Every other claim follows, sorted by key.
 */
export const LEADING_CLAIMS: readonly string[] = [
  "name", "given_name", "family_name", "preferred_username", "email", "upn", "unique_name", "oid", "sub", "tid", "idp",
  "iss", "aud", "azp", "appid", "client_id",
  "exp", "iat", "nbf", "auth_time",
  "scp", "scope", "roles", "groups", "wids", "amr",
];
