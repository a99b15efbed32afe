import type { Db, Queryable, Tx } from "@/db/types.ts";

/**
 * A Db that counts database round trips: a statement sent while none is in flight starts a new
 * trip; statements sent while another is still in flight (pipelined) ride along with it. A
 * top-level transaction's COMMIT counts as a trip of its own, and so does its BEGIN unless the
 * back end sends it with the first statement (`pipelinesBegin`). `log` lists each trip's first statement, for a readable failure message.
 */
export interface CountingDb extends Db {
  trips: number;
  log: string[];
  reset(): void;
}

export function countRoundTrips(inner: Db): CountingDb {
  let inFlight = 0;
  const state = { trips: 0, log: [] as string[] };
  const trip = (label: string) => {
    state.trips++;
    state.log.push(label.replace(/\s+/g, " ").trim().slice(0, 90));
  };
  async function counted<T>(text: string, run: () => Promise<T>): Promise<T> {
    if (inFlight === 0) trip(text);
    inFlight++;
    try {
      return await run();
    } finally {
      inFlight--;
    }
  }
  function wrap(q: Queryable, top: boolean): Queryable {
    return {
      query: (text, params) => counted(text, () => q.query(text, params)),
      sql: (strings, ...values) => counted(strings.join("$"), () => q.sql(strings, ...values)),
      exec: (script) => counted(script, () => q.exec(script)),
      async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
        if (top && !inner.pipelinesBegin) trip("BEGIN");
        try {
          return await q.transaction((tx) => fn(wrap(tx, false)));
        } finally {
          if (top) trip("COMMIT");
        }
      },
    };
  }
  const outer = wrap(inner, true);
  return {
    ...outer,
    kind: inner.kind,
    listen: (...args) => inner.listen(...args),
    close: () => inner.close(),
    get trips() {
      return state.trips;
    },
    set trips(n: number) {
      state.trips = n;
    },
    get log() {
      return state.log;
    },
    set log(l: string[]) {
      state.log = l;
    },
    reset() {
      state.trips = 0;
      state.log = [];
    },
  };
}
