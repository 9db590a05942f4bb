import { createHash } from "node:crypto";

export interface DemoUser {
  /** `preferred_username` and Graph's `userPrincipalName`. */
  username: string;
  /** Subject and Graph object id (Entra's `oid`): a GUID. */
  sub: string;
  name: string;
  givenName: string;
  surname: string;
  email: string;
  jobTitle?: string;
  officeLocation?: string;
  mobilePhone?: string;
  businessPhones?: string[];
  preferredLanguage?: string;
  hasPhoto: boolean;
  password: string;
}

/** The demo tenant's id, sent as `tid` like Entra does. */
export const DEMO_TENANT_ID = "6f1c2a4e-3d7b-4c59-9a0e-5b8d2f71c3e4";

export const DEMO_USERS: readonly DemoUser[] = [
  {
    username: "alice@demo.entra-tray.test",
    sub: "0b8f4c3e-6a1d-4f27-b5e9-2c7d9a1e4f60",
    name: "Alice Martin",
    givenName: "Alice",
    surname: "Martin",
    email: "alice@demo.entra-tray.test",
    jobTitle: "Platform Engineer",
    officeLocation: "Lyon 3.14",
    mobilePhone: "+33 6 12 34 56 78",
    businessPhones: ["+33 4 72 00 00 01"],
    preferredLanguage: "fr-FR",
    hasPhoto: true,
    password: "alice-demo-password",
  },
  {
    username: "bob@demo.entra-tray.test",
    sub: "7e2a9d51-c4b8-4e03-8f6a-d1b53c0e9a27",
    name: "Bob Okafor",
    givenName: "Bob",
    surname: "Okafor",
    email: "bob@demo.entra-tray.test",
    jobTitle: "Support Analyst",
    preferredLanguage: "en-GB",
    hasPhoto: false,
    password: "bob-demo-password",
  },
];

/**
 * Entra's optional `login_hint` claim: an opaque, stable string per account that apps pass back as
 * `login_hint` (sign-in) or `logout_hint` (sign-out). Here a hash of the subject, so it reveals nothing.
 */
export function loginHintFor(user: DemoUser): string {
  return createHash("sha256").update(`entra-tray-demo login_hint ${user.sub}`).digest("base64url");
}

export function findUserBySub(sub: string): DemoUser | undefined {
  return DEMO_USERS.find((user) => user.sub === sub);
}

/** A hint may be a username (what people type) or the opaque `login_hint` claim (what MSAL sends back). */
export function findUserByHint(hint: string | undefined): DemoUser | undefined {
  if (!hint) return undefined;
  const lowered = hint.trim().toLowerCase();
  return DEMO_USERS.find((user) => user.username === lowered || loginHintFor(user) === hint);
}
