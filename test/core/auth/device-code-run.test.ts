import { afterEach, describe, expect, it, vi } from "vitest";
import { DeviceCodeRun } from "../../../src/core/auth/device-code-run.js";
import type { DeviceCodeInfo } from "../../../src/core/auth/device-code-run.js";

const answer = { userCode: "WDJB-MJHT", deviceCode: "d", verificationUri: "https://op.example/device", expiresIn: 600, interval: 1, message: "" };

describe("DeviceCodeRun", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("shows the code with a message of its own when the IdP sends none", () => {
    const shown: DeviceCodeInfo[] = [];
    const run = new DeviceCodeRun(["User.Read"], (info) => shown.push(info), undefined);
    run.request.deviceCodeCallback(answer);
    run.dispose();
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ userCode: "WDJB-MJHT", verificationUri: "https://op.example/device",
      message: "To sign in, open https://op.example/device and enter the code WDJB-MJHT." });
    expect(shown[0]?.expiresOn.getTime()).toBeGreaterThan(Date.now() + 590_000);
    expect(run.request.cancel).toBe(false);
  });

  it("stops polling when the IdP sent no code, and shows nothing", () => {
    let shown = false;
    const run = new DeviceCodeRun([], () => (shown = true), undefined);
    run.request.deviceCodeCallback({ ...answer, userCode: undefined as unknown as string });
    run.dispose();
    expect(run).toMatchObject({ stopReason: "noCode", request: { cancel: true } });
    expect(shown).toBe(false);
  });

  it("sets MSAL's cancel flag at its timeout, not before, and on abort, and shows no code after that", () => {
    // A fake clock: the timeout's instant is reached exactly, with no wait.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const timed = new DeviceCodeRun([], () => undefined, 20);
    vi.advanceTimersByTime(19);
    expect(timed).toMatchObject({ stopReason: undefined, request: { cancel: false } });
    vi.advanceTimersByTime(1);
    expect(timed).toMatchObject({ stopReason: "timeout", request: { cancel: true } });
    timed.dispose();

    const controller = new AbortController();
    let shown = false;
    const aborted = new DeviceCodeRun([], () => (shown = true), undefined, controller.signal);
    controller.abort();
    aborted.request.deviceCodeCallback(answer);
    aborted.dispose();
    expect(aborted).toMatchObject({ stopReason: "cancelled", request: { cancel: true } });
    expect(shown).toBe(false);
  });
});
