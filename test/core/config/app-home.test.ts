import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { appHome, configFilePath } from "../../../src/core/config/app-home.js";

describe("appHome", () => {
  it("uses ENTRA_TRAY_HOME on every platform, made absolute", () => {
    for (const platform of ["linux", "darwin", "win32"] as const) {
      expect(appHome({ ENTRA_TRAY_HOME: "/tmp/isolated" }, platform, "/home/u")).toBe("/tmp/isolated");
    }
    expect(appHome({ ENTRA_TRAY_HOME: "rel/home" }, "linux", "/home/u")).toBe(path.resolve("rel/home"));
  });

  it("matches Electron's userData on Linux: $XDG_CONFIG_HOME, else ~/.config", () => {
    expect(appHome({ XDG_CONFIG_HOME: "/xdg" }, "linux", "/home/u")).toBe("/xdg/entra-tray");
    expect(appHome({}, "linux", "/home/u")).toBe("/home/u/.config/entra-tray");
    expect(appHome({ XDG_CONFIG_HOME: "" }, "linux", "/home/u")).toBe("/home/u/.config/entra-tray");
  });

  it("matches Electron's userData on macOS and ignores XDG there", () => {
    expect(appHome({ XDG_CONFIG_HOME: "/xdg" }, "darwin", "/Users/u")).toBe("/Users/u/Library/Application Support/entra-tray");
  });

  it("matches Electron's userData on Windows: %APPDATA%, else the Roaming folder", () => {
    expect(appHome({ APPDATA: "C:\\Users\\u\\AppData\\Roaming" }, "win32", "C:\\Users\\u")).toBe("C:\\Users\\u\\AppData\\Roaming\\entra-tray");
    expect(appHome({}, "win32", "C:\\Users\\u")).toBe("C:\\Users\\u\\AppData\\Roaming\\entra-tray");
  });

  it("reads the real process environment by default", () => {
    vi.stubEnv("ENTRA_TRAY_HOME", "/tmp/from-env");
    try {
      expect(appHome()).toBe("/tmp/from-env");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("keeps config.json in the home", () => {
    expect(configFilePath("/h/entra-tray")).toBe(path.join("/h/entra-tray", "config.json"));
  });
});
