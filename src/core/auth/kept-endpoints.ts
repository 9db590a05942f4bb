import type { Profile } from "../config/profile.js";
import { reasonOf } from "../errors/sanitize.js";
import { authorityEndpoints } from "./authority-metadata.js";
import type { AuthorityEndpoints, AuthorityMetadataStore } from "./authority-metadata.js";
import { vetExternalIdIssuer } from "./external-id-issuer.js";
import type { AuthLog } from "./msal-config.js";

/**
 * A profile's OpenID endpoints kept between runs (in an AuthorityMetadataStore), so that a new process serves cached
 * tokens without asking the identity provider anything. Failing storage only costs that speed-up: it is logged,
 * never thrown.
 */
export class KeptEndpoints {
  constructor(
    private readonly profile: Profile,
    private readonly store: AuthorityMetadataStore | undefined,
    private readonly log: AuthLog,
  ) {}

  /** The endpoints saved by an earlier run, as MSAL's `authorityMetadata` JSON, when they are usable. */
  load(): string | undefined {
    if (!this.store) return undefined;
    try {
      const json = this.store.load(this.profile.authority.url);
      const endpoints = json === undefined ? undefined : authorityEndpoints(JSON.parse(json));
      if (endpoints && this.profile.authority.kind === "entraExternalId") vetExternalIdIssuer(this.profile.authority, endpoints.issuer);
      return endpoints ? JSON.stringify(endpoints) : undefined;
    } catch (error) {
      this.warn("the saved endpoints", "cannot be read", error);
      return undefined;
    }
  }

  /** Keeps `endpoints` unless they are what is kept already (`current`, as JSON). */
  save(endpoints: AuthorityEndpoints | undefined, current: string | undefined): void {
    const json = endpoints && JSON.stringify(endpoints);
    if (!this.store || !json || json === current) return;
    try {
      this.store.save(this.profile.authority.url, json);
    } catch (error) {
      this.warn("the endpoints", "cannot be saved", error);
    }
  }

  remove(): void {
    try {
      this.store?.remove(this.profile.authority.url);
    } catch (error) {
      this.warn("the stale endpoints", "cannot be removed", error);
    }
  }

  private warn(what: string, failed: string, error: unknown): void {
    this.log("warning", `${this.profile.name}: ${what} of ${this.profile.authority.knownAuthority} ${failed} (${reasonOf(error)}).`);
  }
}
