import type Provider from "oidc-provider";

/**
 * Remembers which grants belong to which account, so an account's sessions can be revoked the way an admin
 * revokes a user's sign-in sessions in Entra: its refresh tokens stop working (`invalid_grant`), while access
 * tokens already handed out stay valid until they expire, as JWTs do.
 */
export function grantRevoker(provider: Provider): (accountId: string) => Promise<void> {
  const grantsByAccount = new Map<string, Set<string>>();
  provider.on("grant.saved", (grant) => {
    if (!grant.accountId || !grant.jti) return;
    const grants = grantsByAccount.get(grant.accountId) ?? new Set<string>();
    grantsByAccount.set(grant.accountId, grants.add(grant.jti));
  });
  return async (accountId) => {
    const grantIds = [...(grantsByAccount.get(accountId) ?? [])];
    grantsByAccount.delete(accountId);
    await Promise.all(
      grantIds.map(async (grantId) => {
        await provider.RefreshToken.revokeByGrantId(grantId);
        await provider.AccessToken.revokeByGrantId(grantId);
        await (await provider.Grant.find(grantId))?.destroy();
      }),
    );
  };
}
