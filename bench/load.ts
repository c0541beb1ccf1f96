/**
 * An open-loop load generator: requests are sent on a fixed schedule
 * (`rate` per second), whatever the answers' speed, so a slow server shows
 * as latency rather than as fewer requests (the coordinated-omission trap
 * of closed-loop tools). Latency is measured from the scheduled send time.
 * In flight at most `maxInFlight` per stream; a send the cap holds back is
 * counted as `held`.
 */

export interface Stream {
  readonly name: string;
  /** Requests per second. */
  readonly rate: number;
  /** The n-th request of this stream (0-based). */
  request(n: number): { readonly path: string; readonly init?: RequestInit };
  /** Called with each answer (e.g. to count acknowledged events). */
  onAnswer?(n: number, status: number, body: unknown): void;
}

export interface StreamResult {
  readonly name: string;
  readonly sent: number;
  readonly statuses: Readonly<Record<string, number>>;
  /** Failures of the connection itself (refused, reset). */
  readonly failures: number;
  readonly held: number;
  /** Milliseconds, sorted. */
  readonly latencies: readonly number[];
  readonly seconds: number;
}

const TICK_MS = 5;

/** Run the streams together for `seconds` against `base` with the key. */
export async function load(
  base: string,
  key: string,
  streams: readonly Stream[],
  seconds: number,
  maxInFlight = 256,
): Promise<StreamResult[]> {
  const state = streams.map((s) => ({
    stream: s,
    sent: 0,
    inFlight: 0,
    held: 0,
    failures: 0,
    statuses: {} as Record<string, number>,
    latencies: [] as number[],
    pending: [] as Promise<void>[],
  }));
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    const now = performance.now();
    for (const st of state) {
      const due = Math.floor(((now - start) / 1000) * st.stream.rate);
      while (st.sent + st.held < due) {
        const n = st.sent + st.held;
        if (st.inFlight >= maxInFlight) {
          st.held++;
          continue;
        }
        const scheduled = start + (n / st.stream.rate) * 1000;
        const { path, init } = st.stream.request(n);
        st.sent++;
        st.inFlight++;
        const headers = {
          authorization: `Bearer ${key}`,
          ...(init?.body ? { "content-type": "application/json" } : {}),
        };
        st.pending.push(
          fetch(`${base}${path}`, { ...init, headers })
            .then(async (r) => {
              const body: unknown = await r.json().catch(() => null);
              st.latencies.push(performance.now() - scheduled);
              st.statuses[r.status] = (st.statuses[r.status] ?? 0) + 1;
              st.stream.onAnswer?.(n, r.status, body);
            })
            .catch(() => {
              st.failures++;
            })
            .finally(() => {
              st.inFlight--;
            }),
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  for (const st of state) await Promise.all(st.pending);
  const elapsed = (performance.now() - start) / 1000;
  return state.map((st) => ({
    name: st.stream.name,
    sent: st.sent,
    statuses: st.statuses,
    failures: st.failures,
    held: st.held,
    latencies: st.latencies.sort((a, b) => a - b),
    seconds: elapsed,
  }));
}

/** The q-th quantile (0–1) of sorted values, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
