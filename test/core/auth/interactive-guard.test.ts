import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { InteractiveGuard } from "../../../src/core/auth/interactive-guard.js";
import { before, nextTurn, seconds } from "../../support/bound.js";
import { startHttp } from "./support/servers.js";
import type { RunningServer } from "./support/servers.js";

let loopback: RunningServer;
const posts: Array<{ contentType?: string; body: URLSearchParams }> = [];
let nextPost: (() => void) | undefined;

beforeAll(async () => {
  loopback = await startHttp((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      posts.push({ contentType: req.headers["content-type"], body: new URLSearchParams(body) });
      res.end("ok");
      nextPost?.();
    });
  });
});
afterAll(() => loopback.close());

const authUrl = () =>
  `https://op.example/auth?client_id=c&redirect_uri=${encodeURIComponent(`http://localhost:${loopback.port}`)}&state=st-123&code_challenge=x`;
const posted = () => new Promise<void>((resolve) => (nextPost = resolve));
const never = () => new Promise<void>(() => undefined);

describe("InteractiveGuard", () => {
  it("after the browser opened, a timeout answers the loopback with error and the request's state", async () => {
    posts.length = 0;
    const guard = new InteractiveGuard(async () => undefined, 100);
    const arrived = posted();
    await guard.openBrowser(authUrl());
    await before(seconds(10), "The guard did not answer the loopback at its 0.1 s timeout", arrived);
    guard.dispose();
    expect(guard.stopReason).toBe("timeout");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.contentType).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(posts[0]?.body ?? [])).toEqual({ error: "timeout", state: "st-123" });
  });

  it("an abort while the opener still runs rejects openBrowser instead", async () => {
    posts.length = 0;
    const controller = new AbortController();
    const guard = new InteractiveGuard(never, 60_000, controller.signal);
    const opening = guard.openBrowser(authUrl());
    controller.abort();
    await expect(before(nextTurn, "openBrowser did not reject when the signal aborted", opening))
      .rejects.toThrow("interactive sign-in stopped: cancelled");
    guard.dispose();
    expect(guard.stopReason).toBe("cancelled");
    expect(posts).toHaveLength(0);
  });

  it("an abort while the check before opening runs rejects at once, and the browser never opens", async () => {
    const controller = new AbortController();
    const opened: string[] = [];
    let finishCheck = () => undefined as void;
    const check = new Promise<void>((resolve) => (finishCheck = resolve));
    const guard = new InteractiveGuard(async (url) => void opened.push(url), 60_000, controller.signal, () => check);
    const opening = guard.openBrowser(authUrl());
    controller.abort();
    await expect(before(nextTurn, "openBrowser did not reject when the signal aborted", opening)).rejects.toThrow("interactive sign-in stopped: cancelled");
    finishCheck();
    await check;
    await new Promise((resolve) => setImmediate(resolve));
    guard.dispose();
    expect(opened).toEqual([]);
  });

  it("a refusal from the check before opening passes through without opening the browser", async () => {
    const opened: string[] = [];
    const guard = new InteractiveGuard(async (url) => void opened.push(url), 60_000, undefined, () => Promise.reject(new Error("refused")));
    await expect(guard.openBrowser(authUrl())).rejects.toThrow("refused");
    guard.dispose();
    expect(opened).toEqual([]);
  });

  it("an opener's own failure passes through", async () => {
    const guard = new InteractiveGuard(async () => {
      throw new Error("no browser");
    }, 60_000);
    await expect(guard.openBrowser(authUrl())).rejects.toThrow("no browser");
    guard.dispose();
    expect(guard.stopReason).toBeUndefined();
  });

  it("a signal aborted before the browser opens stops at once", async () => {
    let opened = false;
    const guard = new InteractiveGuard(async () => {
      opened = true;
    }, 60_000, AbortSignal.abort());
    await expect(guard.openBrowser(authUrl())).rejects.toThrow("stopped: cancelled");
    guard.dispose();
    expect(opened).toBe(false);
  });

  it("does nothing once disposed: neither at its timeout nor on an abort", async () => {
    posts.length = 0;
    // A fake clock takes the guard past its timeout at once; its stop would be synchronous, so nothing is missed.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const controller = new AbortController();
      const guard = new InteractiveGuard(async () => undefined, 50, controller.signal);
      await guard.openBrowser(authUrl());
      guard.dispose();
      vi.advanceTimersByTime(60_000);
      controller.abort();
      expect(guard.stopReason).toBeUndefined();
      expect(posts).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
