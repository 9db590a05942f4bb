import { describe, expect, it } from "vitest";
import { SerialQueue, SingleFlight } from "../../../src/core/auth/serial-queue.js";

/** Gives the event loop a turn, as real work in a task would: other callers may run meanwhile. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("SerialQueue", () => {
  it("runs tasks one at a time in call order", async () => {
    const queue = new SerialQueue();
    const events: string[] = [];
    let running = 0;
    const task = (name: string) => async () => {
      running++;
      expect(running).toBe(1);
      events.push(`start ${name}`);
      await tick();
      events.push(`end ${name}`);
      running--;
      return name;
    };
    const results = await Promise.all([queue.run(task("a")), queue.run(task("b")), queue.run(task("c"))]);
    expect(results).toEqual(["a", "b", "c"]);
    expect(events).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  it("keeps going after a task fails, and gives that failure to its caller only", async () => {
    const queue = new SerialQueue();
    const failed = queue.run(async () => {
      await tick();
      throw new Error("first failed");
    });
    const next = queue.run(async () => "second ran");
    await expect(failed).rejects.toThrow("first failed");
    await expect(next).resolves.toBe("second ran");
  });
});

describe("SingleFlight", () => {
  it("gives concurrent callers of one key the same in-flight promise", async () => {
    const flights = new SingleFlight();
    let calls = 0;
    const task = async () => {
      calls++;
      await tick();
      return calls;
    };
    const shared = await Promise.all([flights.run("k", task), flights.run("k", task), flights.run("k", task)]);
    expect(shared).toEqual([1, 1, 1]);
    expect(calls).toBe(1);
  });

  it("starts separate work for other keys and again once a flight has landed", async () => {
    const flights = new SingleFlight();
    let calls = 0;
    const task = async () => {
      await tick();
      return ++calls;
    };
    await Promise.all([flights.run("a", task), flights.run("b", task)]);
    expect(calls).toBe(2);
    await expect(flights.run("a", task)).resolves.toBe(3);
  });

  it("shares a failure too, then lets the next call try afresh", async () => {
    const flights = new SingleFlight();
    let calls = 0;
    const failing = async () => {
      calls++;
      await tick();
      throw new Error("refresh failed");
    };
    const results = await Promise.allSettled([flights.run("k", failing), flights.run("k", failing)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(calls).toBe(1);
    await expect(flights.run("k", async () => "ok")).resolves.toBe("ok");
  });
});
