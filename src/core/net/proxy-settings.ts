/**
 * Which proxy, if any, an HTTPS request goes through, from the environment variables curl, Go (gh) and Python (az)
 * read. The rules, where those tools differ, and what was chosen:
 *
 * - The proxy is `https_proxy`, else `HTTPS_PROXY`, else `all_proxy`, else `ALL_PROXY` (lower case first, as curl
 *   and Python do); an empty variable counts as unset. `HTTP_PROXY` is for http:// URLs, which entra-tray never
 *   fetches. The value is an `http://` or `https://` URL (no scheme means `http://`; the port defaults to 80 or 443,
 *   as in Go); `user:password@` in it, percent-encoded, is sent as Basic `Proxy-Authorization`.
 * - `no_proxy`, else `NO_PROXY`: entries separated by commas or spaces, case-insensitive. `*` sends everything
 *   direct. `example.com`, `.example.com` and `*.example.com` all mean example.com and every name under it (curl's
 *   rule). `name:port` matches that port only (`[v6]:port` for IPv6). IP addresses match literally, and CIDR ranges
 *   (`10.0.0.0/8`, `fd00::/8`) match IP-address URLs; names are never resolved to match them (as curl and Go).
 * - Loopback (`localhost`, `*.localhost`, 127.0.0.0/8, `::1`) always goes direct, as in Go (gh) and Chromium: a
 *   remote proxy cannot reach this machine's loopback, and the demo identity provider lives there.
 * - Only when a request would use the proxy is its URL checked, so a broken `HTTPS_PROXY` never breaks loopback or
 *   NO_PROXY hosts.
 */
import { BlockList, isIP } from "node:net";
import { TransportError } from "./transport-error.js";

/** The environment the proxy variables are read from; `process.env` unless a caller (or a test) passes another. */
export type ProxyEnvironment = Readonly<Record<string, string | undefined>>;

/** An HTTP CONNECT proxy to reach an HTTPS host through. */
export interface HttpsProxy {
  /** `https:` when the connection to the proxy itself is TLS. */
  protocol: "http:" | "https:";
  /** Host name or IP address, without IPv6 brackets. */
  hostname: string;
  port: number;
  /** `host:port` for messages: never the credentials. */
  address: string;
  /** The variable that named this proxy, for messages. */
  variable: string;
  /** `Basic ...` from the URL's `user:password@`, when it has them. */
  authorization?: string;
}

const PROXY_VARIABLES = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"];
const NO_PROXY_VARIABLES = ["no_proxy", "NO_PROXY"];

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/**
 * The proxy for an https URL, or undefined to connect directly.
 * Throws TransportError (kind "other", naming the variable) when the variable holds no usable proxy URL.
 */
export function proxyFor(target: URL, env: ProxyEnvironment = process.env): HttpsProxy | undefined {
  const setting = firstSet(env, PROXY_VARIABLES);
  if (setting === undefined) return undefined;
  const host = withoutBrackets(target.hostname);
  const port = Number(target.port || 443);
  if (isLoopback(host) || bypassed(host, port, firstSet(env, NO_PROXY_VARIABLES)?.value ?? "")) return undefined;
  return parseProxyUrl(setting.value, setting.variable, target.host);
}

function firstSet(env: ProxyEnvironment, names: string[]): { variable: string; value: string } | undefined {
  for (const variable of names) {
    const value = env[variable]?.trim();
    if (value) return { variable, value };
  }
  return undefined;
}

function isLoopback(host: string): boolean {
  const family = isIP(host);
  if (family !== 0) return LOOPBACK.check(host, family === 4 ? "ipv4" : "ipv6");
  return host === "localhost" || host.endsWith(".localhost");
}

function bypassed(host: string, port: number, noProxy: string): boolean {
  return noProxy.toLowerCase().split(/[\s,]+/).some((entry) => entry !== "" && entryMatches(entry, host, port));
}

function entryMatches(entry: string, host: string, port: number): boolean {
  if (entry === "*") return true;
  const { name, port: entryPort } = splitPort(entry);
  if (entryPort !== undefined && entryPort !== port) return false;
  if (name.includes("/")) return inRange(name, host);
  if (isIP(name) !== 0) return inRange(`${name}/${isIP(name) === 4 ? 32 : 128}`, host);
  const domain = name.replace(/^\*?\./, "");
  return host === domain || host.endsWith(`.${domain}`);
}

/** `host:port`, `[v6]:port`, or no port (a bare IPv6 address or range has several colons and no port). */
function splitPort(entry: string): { name: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1] ?? "", ...(bracketed[2] ? { port: Number(bracketed[2]) } : {}) };
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  return withPort ? { name: withPort[1] ?? "", port: Number(withPort[2]) } : { name: entry };
}

/** Whether an IP-address host lies in a CIDR range; malformed ranges match nothing, as in curl and Go. */
function inRange(range: string, host: string): boolean {
  const [network = "", bitsText = ""] = range.split("/");
  const family = isIP(network);
  const bits = Number(bitsText);
  if (family === 0 || isIP(host) !== family || !/^\d+$/.test(bitsText) || bits > (family === 4 ? 32 : 128)) {
    return false;
  }
  const list = new BlockList();
  list.addSubnet(network, bits, family === 4 ? "ipv4" : "ipv6");
  return list.check(host, family === 4 ? "ipv4" : "ipv6");
}

function parseProxyUrl(value: string, variable: string, targetHost: string): HttpsProxy {
  // The value itself is never quoted in a message: it may hold a password.
  const unusable = (why: string, address?: string) =>
    new TransportError("other", targetHost, `${variable} ${why}`, undefined, {
      proxy: { variable, ...(address ? { address } : {}) },
    });
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw unusable("is not a proxy URL; set it to http://host:port (or http://user:password@host:port)");
  }
  const hostname = withoutBrackets(url.hostname);
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const address = `${url.hostname}:${port}`;
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw unusable(`names a ${url.protocol.slice(0, -1)} proxy at ${address}; entra-tray can use only http:// and ` +
      "https:// proxies (set HTTPS_PROXY to one, or list the host in NO_PROXY)", address);
  }
  if (!hostname) throw unusable("is not a proxy URL; set it to http://host:port");
  let authorization: string | undefined;
  if (url.username || url.password) {
    try {
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
    } catch {
      throw unusable("has a user name or password that is not valid percent-encoding", address);
    }
  }
  return { protocol: url.protocol, hostname, port, address, variable, ...(authorization ? { authorization } : {}) };
}

/** An IPv6 host as URL.hostname gives it, `[::1]`, without its brackets. */
export const withoutBrackets = (host: string): string => host.replace(/^\[(.*)\]$/, "$1");
