/**
 * Counts the requests a server is handling, so a stopping server can wait until it is idle before
 * it closes its listener. Deno's `server.shutdown()` lets the requests it has already read finish,
 * but closes connections whose request it has not read yet; a busy event loop (rendering, the
 * embedded database) reads requests late, so a request sent just before SIGTERM could be dropped
 * with no answer. Waiting for a quiet moment first lets those be read and answered.
 */
export interface InFlight<A extends unknown[]> {
  /** The handler to give `Deno.serve`: the wrapped one, counted. */
  fetch: (request: Request, ...rest: A) => Promise<Response>;
  /** Requests whose handler has not returned yet. */
  readonly count: number;
  /**
   * Resolves once no request has been in flight for `quietMs` (counted from this call at the
   * earliest), or after `maxMs` at most (a server that never goes quiet still stops). True when it
   * went quiet.
   */
  idle(options?: { quietMs?: number; maxMs?: number }): Promise<boolean>;
}

export function countInFlight<A extends unknown[]>(
  handler: (request: Request, ...rest: A) => Response | Promise<Response>,
): InFlight<A> {
  let count = 0;
  let lastChange = performance.now();
  return {
    async fetch(request, ...rest) {
      count++;
      lastChange = performance.now();
      try {
        return await handler(request, ...rest);
      } finally {
        count--;
        lastChange = performance.now();
      }
    },
    get count() {
      return count;
    },
    async idle({ quietMs = 200, maxMs = 10_000 } = {}) {
      // The quiet time counts from the call at the earliest: requests sent just before it may not
      // have been read yet.
      const called = performance.now();
      const deadline = called + maxMs;
      while (performance.now() < deadline) {
        if (count === 0 && performance.now() - Math.max(lastChange, called) >= quietMs) return true;
        await new Promise((resolve) => setTimeout(resolve, Math.min(20, quietMs)));
      }
      return false;
    },
  };
}
