import path from "node:path";
import { trayIconState, type TrayModel } from "./tray-model.js";

/** Windows cuts tray tooltips at 127 characters. */
const TOOLTIP_MAX = 127;

/**
 * The icon file for the model's state on `platform` (macOS: a template image, which the menu bar tints; Windows: an
 * .ico; Linux: a coloured PNG) and the tooltip: the account and the token's remaining life, or what is wrong.
 */
export function trayLook(model: TrayModel, platform: NodeJS.Platform, assets: string, now: Date): { icon: string; tooltip: string } {
  const state = trayIconState(model);
  const file = platform === "darwin" ? `${state}Template.png` : platform === "win32" ? `${state}.ico` : `${state}.png`;
  return { icon: path.join(assets, "tray", file), tooltip: clip(`entra-tray: ${describe(model, now)}`) };
}

function describe(model: TrayModel, now: Date): string {
  if (!model.profile) return "no profile yet";
  switch (model.status) {
    case "signingIn":
      return `signing in to ${model.profile.displayName}…`;
    case "error":
      return model.problem?.message ?? "needs attention";
    case "signedOut":
      return `not signed in to ${model.profile.displayName}`;
    default: {
      const life = model.tokenExpiresOn ? `, token valid ${minutesLeft(model.tokenExpiresOn, now)}` : "";
      const storage = model.storageEncrypted ? "" : " (tokens not encrypted)";
      return `${model.account?.username ?? model.profile.displayName}${life}${storage}`;
    }
  }
}

function minutesLeft(expiresOn: Date, now: Date): string {
  const minutes = Math.floor((expiresOn.getTime() - now.getTime()) / 60_000);
  return minutes >= 1 ? `${minutes} min` : "under a minute";
}

const clip = (text: string): string => (text.length > TOOLTIP_MAX ? `${text.slice(0, TOOLTIP_MAX - 1)}…` : text);
