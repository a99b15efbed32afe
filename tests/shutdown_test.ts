/**
 * Graceful shutdown of the real server process: `deno run -A main.ts` on an in-memory PGlite with
 * the message worker in process. Requests that are in flight when SIGTERM arrives (a burst of home
 * pages, each on its own connection and written before the signal; they take turns on the
 * embedded database's one connection) all complete with 200; once the server is stopping, new
 * connections are refused; the worker stops after the last request is answered and before the
 * server reports it stopped; and the process exits 0.
 */
import assert from "node:assert/strict";
import { ensureBuild } from "@/runtime/ensure_build.ts";

const ROOT = new URL("../", import.meta.url);
const IN_FLIGHT = 30;

interface LogLine {
  event: string;
  time: string;
  [key: string]: unknown;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Sends a GET on a new connection (closed after the answer); resolves to the whole raw answer. */
async function rawGet(port: number, path: string): Promise<{ answer: Promise<string> }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const request = new TextEncoder().encode(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
  );
  for (let written = 0; written < request.length;) {
    written += await conn.write(request.subarray(written));
  }
  return { answer: new Response(conn.readable).text() };
}

async function refused(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return false;
  } catch (err) {
    if (err instanceof Deno.errors.ConnectionRefused) return true;
    throw err;
  }
}

Deno.test("shutdown - SIGTERM: in-flight requests finish with 200, new connections are refused, the worker stops before the server, exit 0", async () => {
  await ensureBuild(); // main.ts serves the built islands; it never builds by itself
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", "--seed-if-empty"],
    cwd: ROOT,
    env: {
      PGLITE_DIR: "memory",
      DATABASE_URL: "",
      PORT: String(port),
      WORKER_IN_PROCESS: "true",
      WORKER_POLL_MS: "50",
      RETENTION_IN_PROCESS: "false",
      APP_ENV: "development",
      LOG_LEVEL: "info",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();

  // The server's log, line by line, with waiters for events.
  const lines: LogLine[] = [];
  const waiters: { event: string; resolve: (line: LogLine) => void }[] = [];
  const stderr = new Response(child.stderr).text();
  const stdout = (async () => {
    let buffer = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const text = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        let line: LogLine;
        try {
          line = JSON.parse(text);
        } catch {
          continue; // not a log line (e.g. an OTP printed by the console provider)
        }
        lines.push(line);
        for (const w of waiters.filter((w) => w.event === line.event)) w.resolve(line);
      }
    }
  })();
  const seen = (event: string, timeoutMs = 90_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const found = lines.find((l) => l.event === event);
      if (found) return resolve(found);
      const timer = setTimeout(
        () =>
          reject(new Error(`no ${event} within ${timeoutMs} ms; log: ${JSON.stringify(lines)}`)),
        timeoutMs,
      );
      waiters.push({
        event,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });

  let signalled = false;
  try {
    await seen("server.listening");
    await seen("worker.started");
    const warm = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(warm.status, 200);
    await warm.text();

    // A burst of pages, each on its own connection, written in full before the signal; when the
    // first answer arrives the rest are inside the server, waiting their turn on the database:
    // SIGTERM lands with them in flight.
    const finished: number[] = [];
    let firstDone!: () => void;
    const first = new Promise<void>((r) => (firstDone = r));
    const burst = await Promise.all(
      Array.from({ length: IN_FLIGHT }, (_, i) => rawGet(port, `/?q=&i=${i}`)),
    );
    const answers = burst.map(({ answer }) =>
      answer.then((text) => {
        finished.push(performance.now());
        firstDone();
        return text;
      })
    );
    await first;
    const signalledAt = performance.now();
    child.kill("SIGTERM");
    signalled = true;

    const results = await Promise.all(answers);
    const afterSignal = finished.filter((t) => t > signalledAt).length;
    assert.ok(afterSignal > 0, "no request was in flight when SIGTERM arrived");
    for (const [i, text] of results.entries()) {
      assert.match(text, /^HTTP\/1\.1 200 /, `request ${i} after SIGTERM: ${text.slice(0, 200)}`);
      assert.ok(text.includes("</html>"), `request ${i} got a whole page`);
    }

    // Once the server is stopping its listener is closed: new connections are refused.
    await seen("server.stopping", 30_000);
    let refusedNow = false;
    for (let i = 0; i < 200 && !refusedNow; i++) {
      refusedNow = await refused(port);
      if (!refusedNow) await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(refusedNow, "new connections were still accepted 2 s after server.stopping");

    const status = await child.status;
    await stdout;
    assert.equal(status.code, 0, `exit ${status.code}; stderr: ${await stderr}`);

    // The order in the log: stopping → every request answered → worker stopped → server stopped.
    const index = (event: string) => lines.findIndex((l) => l.event === event);
    const stopping = index("server.stopping");
    const workerStopped = index("worker.stopped");
    const serverStopped = index("server.stopped");
    assert.ok(stopping >= 0 && workerStopped > stopping, "worker.stopped after server.stopping");
    assert.ok(serverStopped > workerStopped, "the worker stopped before the server stopped");
    const lastRequest = lines.findLastIndex((l) => l.event === "http.request");
    assert.ok(lastRequest < workerStopped, "every request was answered before the worker stopped");
    const answered = lines.filter((l) => l.event === "http.request" && l.status === 200).length;
    assert.equal(answered, IN_FLIGHT + 1);
  } finally {
    if (!signalled) child.kill("SIGTERM");
    await child.status;
    await stdout.catch(() => {});
    await stderr.catch(() => {});
  }
});
