// Name resolution for tests that play a real host name (contoso.ciamlogin.com) on loopback. Loaded into an
// `entra-tray` process as a preload (`node --import <this file>`, see loopback-names.ts), it makes dns.lookup answer 127.0.0.1 for the names in ENTRA_TRAY_TEST_HOSTS (comma-separated),
// refuse every other name that is not loopback (ENOTFOUND, as a closed network would), and append each name asked
// to the file ENTRA_TRAY_TEST_DNS_LOG, so a test can prove which hosts a process tried to reach.
import dns from "node:dns";
import { appendFileSync } from "node:fs";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1"]);

/** Replaces dns.lookup (which node:net and node:https call for every connection) in this process. */
export function installLoopbackNames(hosts, logFile) {
  const mapped = new Set(hosts.map((host) => host.toLowerCase()));
  const lookup = dns.lookup;
  dns.lookup = function loopbackLookup(hostname, options, callback) {
    const [opts, done] = typeof options === "function" ? [{}, options] : [typeof options === "number" ? { family: options } : options ?? {}, callback];
    const name = String(hostname).toLowerCase();
    if (logFile) appendFileSync(logFile, `${name}\n`);
    if (LOOPBACK.has(name) || name.startsWith("127.")) return lookup.call(this, hostname, opts, done);
    if (!mapped.has(name)) {
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", errno: -3008, syscall: "getaddrinfo", hostname });
      process.nextTick(done, error);
      return;
    }
    if (opts.all) process.nextTick(done, null, [{ address: "127.0.0.1", family: 4 }]);
    else process.nextTick(done, null, "127.0.0.1", 4);
  };
}

const hosts = process.env.ENTRA_TRAY_TEST_HOSTS;
if (hosts) installLoopbackNames(hosts.split(",").filter(Boolean), process.env.ENTRA_TRAY_TEST_DNS_LOG);
