import { afterEach, describe, expect, it } from "vitest";
import { policyFile } from "../run/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";
import { type Loopback, loopback } from "./loopback.js";
import { fillWithEvents, policyText, SECRET_ENV, WHSEC } from "./support.js";

/** The webhook commands as a user runs them, against a loopback receiver. */
describe("tierwise run / events deliver with webhooks", () => {
  const hooks: Loopback[] = [];
  afterEach(async () => {
    for (const h of hooks.splice(0)) await h.close();
  });
  async function receiver(answer: (n: number) => number) {
    const hook = await loopback(answer);
    hooks.push(hook);
    const policy = await policyFile(policyText(undefined, [{ url: hook.url, env: SECRET_ENV }]));
    return { hook, policy };
  }

  it("a run with a dead receiver configured finishes without any HTTP attempt", async () => {
    const db = await seededStoreFile("tw-hooks-run-", (e) => fillWithEvents(e, 5));
    const { hook, policy } = await receiver(() => 503);
    // A year on: the orders have left the window, every customer moves down: 5 new events.
    const r = await runCli(["run", "--policy", policy, "--as-of", "2027-03-01", "--allow-future", "--db", db], {
      [SECRET_ENV]: WHSEC,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("events: in the outbox; send them to the webhooks with tierwise events deliver");
    expect(hook.got).toHaveLength(0);
    const listed = await runCli(["events", "--since", "2", "--db", db]);
    expect(listed.stdout.trim().split("\n")).toHaveLength(5);
  });

  it("events retry exits 1 while events stay undelivered (the docs' promise), 0 once all are delivered", async () => {
    const db = await seededStoreFile("tw-hooks-retry-", (e) => fillWithEvents(e, 4));
    let down = true;
    const { hook, policy } = await receiver(() => (down ? 503 : 200));
    const args = ["--policy", policy, "--attempts", "1", "--db", db];
    const failed = await runCli(["events", "retry", ...args], { [SECRET_ENV]: WHSEC });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("events: 0 delivered, 4 undelivered (4 requests)");
    expect(failed.stderr).toContain(
      "error: EVENTS_UNDELIVERED: 4 events stay undelivered to the policy's webhooks; send them again with tierwise events deliver",
    );
    expect(hook.got).toHaveLength(4);
    down = false;
    const ok = await runCli(["events", "deliver", ...args], { [SECRET_ENV]: WHSEC });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain("events: 4 delivered, 0 undelivered (4 requests)");
    expect(ok.stderr).not.toContain("error");
  });

  it("events deliver stops at an open circuit, exits 1 and names the host, never the url's path or token", async () => {
    const db = await seededStoreFile("tw-hooks-circuit-", (e) => fillWithEvents(e, 12));
    const { hook, policy } = await receiver(() => 503);
    const first = await runCli(["events", "deliver", "--policy", policy, "--backoff", "1", "--db", db], {
      [SECRET_ENV]: WHSEC,
    });
    expect(first.code).toBe(1);
    const host = new URL(hook.url).host;
    expect(first.stderr).toContain(`(circuit open, skipped during the cool-down: ${host})`);
    expect(first.stderr).not.toContain("t0ps3cret");
    expect(first.stderr).not.toContain(WHSEC);
    const sent = hook.got.length;
    expect(sent).toBeLessThanOrEqual(5 + 4 - 1);
    // A second invocation (a separate process) respects the circuit kept in the store.
    const second = await runCli(["events", "deliver", "--policy", policy, "--db", db], { [SECRET_ENV]: WHSEC });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("events: 0 delivered, 12 undelivered (0 requests)");
    expect(hook.got).toHaveLength(sent);
  });

  it("refuses bad bounds as wrong usage (exit 2) before sending", async () => {
    const db = await seededStoreFile("tw-hooks-usage-", (e) => fillWithEvents(e, 1));
    const { hook, policy } = await receiver(() => 200);
    for (const [flag, value] of [
      ["--concurrency", "0"],
      ["--max-events", "x"],
      ["--timeout", "-5"],
    ] as const) {
      const r = await runCli(["events", "deliver", "--policy", policy, flag, value, "--db", db], {
        [SECRET_ENV]: WHSEC,
      });
      expect(r.code, `${flag} ${value}`).toBe(2);
      expect(r.stderr).toContain(flag);
    }
    expect(hook.got).toEqual([]);
  });
});
