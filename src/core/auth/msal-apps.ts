import { PublicClientApplication } from "@azure/msal-node";
import type { AccountInfo, Configuration, INativeBrokerPlugin } from "@azure/msal-node";
import type { ObservedNetworkModule } from "./msal-network.js";

/**
 * MSAL's apps for one profile, and which of them serves an account: the plain app, and the same app with the native
 * broker when there is one (MSAL sends every call of such an app to the broker). Remade, with their token caches,
 * when the endpoints they were given change.
 */
export class MsalApps {
  readonly pca: PublicClientApplication;
  readonly brokered: PublicClientApplication | undefined;

  constructor(
    readonly network: ObservedNetworkModule,
    /** What the apps are made from, without authority metadata: to remake them when that metadata must go. */
    readonly configuration: Configuration,
    private readonly broker: INativeBrokerPlugin | undefined,
    /** The endpoints the apps were given (MSAL then fetches no discovery document): saved by an earlier run, or vetted. */
    readonly storedMetadata?: string,
    /** The endpoints were fetched and vetted by this run (External ID), so they cannot be stale. */
    readonly vetted = false,
  ) {
    const withMetadata = storedMetadata ? { ...configuration, auth: { ...configuration.auth, authorityMetadata: storedMetadata } } : configuration;
    this.pca = new PublicClientApplication(withMetadata);
    this.brokered = broker ? new PublicClientApplication({ ...withMetadata, broker: { nativeBrokerPlugin: broker } }) : undefined;
  }

  /**
   * The same apps with other endpoints (none: MSAL fetches them). The in-memory token caches move over: a cachePlugin
   * may hand a new app only what changed since its own last read.
   */
  remake(vettedMetadata: string | undefined): MsalApps {
    const apps = new MsalApps(this.network, this.configuration, this.broker, vettedMetadata, vettedMetadata !== undefined);
    apps.pca.getTokenCache().deserialize(this.pca.getTokenCache().serialize());
    if (apps.brokered && this.brokered) apps.brokered.getTokenCache().deserialize(this.brokered.getTokenCache().serialize());
    return apps;
  }

  /** The broker's accounts for this app (when there is a broker), then those in the token cache. */
  async allAccounts(): Promise<AccountInfo[]> {
    const cached = await this.pca.getAllAccounts();
    if (!this.brokered) return cached;
    const held = await this.brokered.getAllAccounts();
    return [...held, ...cached.filter((account) => !held.some((h) => h.homeAccountId === account.homeAccountId))];
  }

  /** Accounts the broker signed in carry its id; those signed in through the browser (a fallback) do not. */
  viaBroker(account: AccountInfo): boolean {
    return account.nativeAccountId !== undefined && this.brokered !== undefined;
  }

  appFor(account: AccountInfo): PublicClientApplication {
    return this.brokered && this.viaBroker(account) ? this.brokered : this.pca;
  }

  /** Why `account`'s requests do not go to the broker, in a sentence. */
  noBrokerReason(account: AccountInfo, profileName: string): string {
    return this.brokered ? `${account.username} signed in through the browser, not the broker.` : `${profileName} signs in without it.`;
  }
}
