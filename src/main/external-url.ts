/**
 * What `shell.openExternal` may open: https URLs on the identity provider hosts of the configured profiles (sign-in
 * and sign-out pages), nothing else. Returns the URL to open, or undefined.
 */
export function vetExternalUrl(url: string, allowedHosts: readonly string[]): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" || parsed.username || parsed.password) return undefined;
  return allowedHosts.some((host) => host.toLowerCase() === parsed.host) ? parsed.href : undefined;
}
