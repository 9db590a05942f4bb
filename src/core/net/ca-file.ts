import { readFileSync } from "node:fs";
import { AuthError } from "../errors/auth-error.js";

/**
 * The PEM text of a profile's `caFile`, for every client that talks to the profile's servers (MSAL's network
 * client, Graph). Read when needed rather than kept from config loading, so a CA file replaced later is honoured.
 * Throws AuthError(config) naming the file.
 */
export function readCaFile(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new AuthError("config", `The profile's caFile ${path} cannot be read (${reason}).`,
      "Point caFile at a readable PEM certificate file, or remove it to trust only the system's authorities.",
      { cause: error });
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
    throw new AuthError("config", `The profile's caFile ${path} holds no PEM certificate.`,
      "Point caFile at a PEM file that starts with -----BEGIN CERTIFICATE-----.");
  }
  return pem;
}
