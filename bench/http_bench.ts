/**
 * Server-rendered throughput and latency of `/` and `/salons/:slug` against a bare `Deno.serve`
 * hello-world ceiling, measured in one run on the same machine.
 *
 * - The database: a scratch database on the Postgres server at BENCH_DATABASE_URL (else
 *   TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres), migrated and filled with
 *   the demo data (db/seed.ts), dropped afterwards.
 * - The servers run as child processes: the app is `deno run -A main.ts` as in production
 *   (APP_ENV=production, request log on, worker and retention job off), the ceiling is a bare
 *   `Deno.serve` answering "hello". Both listen on loopback only. The "signed in" rows send a
 *   real session's access token (a user and session made in the bench database): those visitors
 *   get a rendering of their own, built from shared search results where the page has them.
 * - The load comes from this process: 32 concurrent keep-alive connections (fetch with a pooled
 *   client), each sending its next request when the previous answer has been read. Each target
 *   gets a warm-up, then HTTP_BENCH_SECONDS (default 8) or at most 200,000 requests.
 *   Like wrk, the load asks for uncompressed pages (`Accept-Encoding: identity`); the rows marked
 *   "br" ask as a browser does and get the cache's brotli bodies, which this process then has to
 *   decompress on the same two cores, so they measure the client as much as the server.
 * - The bare ceiling is measured before and after the app, and the mean is used.
 * - "server CPU" is the server process's own CPU time (user + system, from /proc) per request:
 *   less sensitive to the load generator and to other work on the machine than req/s.
 *
 * Prints a table (requests, req/s, p50, p99, server CPU per request, share of the ceiling), with
 * `/healthz` as the app's floor (middleware and request log, no page, no query). Target: `/` and
 * `/salons/:slug` ≥ 40 % of the bare ceiling; a page below it is reported, not thrown (the number
 * depends on the machine's load).
 */
import { loadConfig, redactUrl } from "@/config.ts";
import { migrate } from "@/db/migrate.ts";
import { openPostgres } from "@/db/postgres.ts";
import { seedDemoData } from "@/db/seed.ts";
import { setLogLevel } from "@/log.ts";
import { ensureBuild } from "@/runtime/ensure_build.ts";
import { createSession } from "@/services/auth/sessions.ts";
import { userFromRow, type UserRow } from "@/services/auth/users.ts";

setLogLevel("error");

const ADMIN_URL = Deno.env.get("BENCH_DATABASE_URL") ?? Deno.env.get("TEST_DATABASE_URL") ??
  "postgres://postgres@127.0.0.1:5432/postgres";
const CONCURRENCY = 32;
const SECONDS = Number(Deno.env.get("HTTP_BENCH_SECONDS") ?? 8);
const WARMUP_SECONDS = 2;
const MAX_REQUESTS = 200_000;
const TARGET_SHARE = 0.4;
const SIGNED_IN_SHARE = 0.5;
const ROOT = new URL("../", import.meta.url);

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function waitFor(url: string, child: Deno.ChildProcess, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.status.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the server for ${url} exited before answering`);
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** Server CPU milliseconds per request (NaN where /proc is missing). */
  cpuMs: number;
}

/** User + system CPU milliseconds a process has used so far (Linux), else NaN. */
function cpuMsOf(pid: number): number {
  try {
    const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
    const ticksPerSecond = 100; // USER_HZ on Linux
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return NaN;
  }
}

const IDENTITY = { "accept-encoding": "identity" };
const AS_A_BROWSER = { "accept-encoding": "gzip, deflate, br, zstd" };

/** CONCURRENCY closed loops on keep-alive connections for `seconds` (or MAX_REQUESTS). */
async function load(
  url: string,
  seconds: number,
  headers: Record<string, string>,
  check?: (body: string) => void,
) {
  const client = Deno.createHttpClient({ poolMaxIdlePerHost: CONCURRENCY * 2 });
  const latencies = new Float64Array(MAX_REQUESTS);
  let count = 0;
  let failures = 0;
  let firstFailure = "";
  const started = performance.now();
  const deadline = started + seconds * 1000;
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (count < MAX_REQUESTS && performance.now() < deadline) {
        const began = performance.now();
        const res = await fetch(url, { client, headers });
        const body = await res.text();
        const ms = performance.now() - began;
        if (res.status !== 200) {
          failures++;
          firstFailure ||= `${res.status} ${body.slice(0, 200)}`;
          continue;
        }
        if (count === 0) check?.(body);
        if (count < MAX_REQUESTS) latencies[count++] = ms;
      }
    }));
  } finally {
    client.close();
  }
  const elapsed = (performance.now() - started) / 1000;
  if (failures) throw new Error(`${url}: ${failures} failed requests, first: ${firstFailure}`);
  const sorted = latencies.slice(0, count).sort();
  return {
    requests: count,
    seconds: elapsed,
    rps: count / elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

async function measure(
  server: Deno.ChildProcess,
  url: string,
  headers: Record<string, string> = IDENTITY,
  check?: (body: string) => void,
): Promise<LoadResult> {
  await load(url, WARMUP_SECONDS, headers, check);
  const cpuBefore = cpuMsOf(server.pid);
  const result = await load(url, SECONDS, headers, check);
  return { ...result, cpuMs: (cpuMsOf(server.pid) - cpuBefore) / result.requests };
}

function spawn(args: string[], env: Record<string, string>): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args,
    env,
    cwd: ROOT,
    stdin: "null",
    stdout: "null", // the request log: written as in production, not shown
    stderr: "piped",
  }).spawn();
}

async function stop(child: Deno.ChildProcess) {
  try {
    child.kill("SIGTERM");
  } catch {
    // already gone
  }
  await child.status;
  await child.stderr.cancel().catch(() => {});
}

/**
 * A live session in the bench database, for a new customer or for `userId`; returns its access
 * token.
 */
async function benchSession(
  dbUrl: URL,
  env: Record<string, string>,
  userId?: string,
): Promise<string> {
  const config = loadConfig(env);
  const db = openPostgres(dbUrl.toString(), { max: 1 });
  try {
    const [row] = userId
      ? await db.query<UserRow>("SELECT * FROM users WHERE id = $1", [userId])
      : await db.query<UserRow>(
        `INSERT INTO users (phone_number, first_name, is_phone_verified)
         VALUES ('+966500000999', 'Bench', true) RETURNING *`,
      );
    const tokens = await db.transaction((tx) =>
      createSession(tx, config, new Date(), userFromRow(row))
    );
    return tokens.access;
  } finally {
    await db.close();
  }
}

async function run() {
  // The scratch database.
  const name = `salon_bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = openPostgres(ADMIN_URL, { max: 1 });
  await admin.exec(`CREATE DATABASE ${name}`);
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${name}`;
  const children: Deno.ChildProcess[] = [];
  const results: { label: string; result: LoadResult; target: boolean }[] = [];
  try {
    const db = openPostgres(dbUrl.toString(), { max: 2 });
    await migrate(db);
    await seedDemoData(db);
    const [{ slug, salonId }] = await db.query<{ slug: string; salonId: string }>(
      `SELECT slug, id AS "salonId" FROM salons
        ORDER BY slug = 'lamsa-riyadh' DESC, slug LIMIT 1`,
    );
    const [{ serviceId }] = await db.query<{ serviceId: string }>(
      `SELECT sv.id AS "serviceId" FROM services sv
        WHERE sv.salon_id = $1 AND sv.active
          AND EXISTS (SELECT 1 FROM staff_services ss WHERE ss.service_id = sv.id)
        ORDER BY sv.name_en LIMIT 1`,
      [salonId],
    );
    const [{ managerId, staffCount, bookingCount }] = await db.query<
      { managerId: string; staffCount: number; bookingCount: number }
    >(
      `SELECT (SELECT user_id FROM salon_memberships WHERE salon_id = $1 AND role = 'manager'
                LIMIT 1) AS "managerId",
              (SELECT count(*)::int FROM staff WHERE salon_id = $1) AS "staffCount",
              (SELECT count(*)::int FROM bookings WHERE salon_id = $1) AS "bookingCount"`,
      [salonId],
    );
    await db.close();
    await ensureBuild();

    const barePort = freePort();
    const bare = spawn([
      "eval",
      `Deno.serve({ hostname: "127.0.0.1", port: ${barePort}, onListen() {} }, () => new Response("hello"));`,
    ], {});
    children.push(bare);
    // The floor the middleware is measured against: Hono answering a fixed string.
    const honoPort = freePort();
    const bareHono = spawn([
      "eval",
      `import { Hono } from "hono"; const app = new Hono(); app.get("/", (c) => c.text("hello"));` +
      `Deno.serve({ hostname: "127.0.0.1", port: ${honoPort}, onListen() {} }, app.fetch);`,
    ], {});
    children.push(bareHono);
    const secret = crypto.randomUUID() + crypto.randomUUID();
    const env = {
      APP_ENV: "production",
      APP_SECRET: secret,
      AUTHENTICA_API_KEY: "bench-unused", // production refuses the console providers; none is called
      DATABASE_URL: dbUrl.toString(),
      WORKER_IN_PROCESS: "false",
      RETENTION_IN_PROCESS: "false",
      LOG_LEVEL: "info",
    };
    // As a browser holds a session: the access token in its production cookie.
    const signedIn = {
      ...IDENTITY,
      cookie: `__Host-salon_access=${await benchSession(dbUrl, env)}`,
    };
    const appPort = freePort();
    const app = spawn(["run", "-A", "main.ts"], { ...env, PORT: String(appPort) });
    children.push(app);
    const bareUrl = `http://127.0.0.1:${barePort}/`;
    const appBase = `http://127.0.0.1:${appPort}`;
    await waitFor(bareUrl, bare);
    await waitFor(`${appBase}/healthz`, app);

    const isPage = (marker: string) => (body: string) => {
      if (!body.includes(marker)) throw new Error(`the page lacks ${marker}`);
    };
    const home = { path: "/", check: isPage(`/salons/${slug}`) };
    const salon = { path: `/salons/${slug}`, check: isPage(`/salons/${slug}/book`) };
    const bare1 = await measure(bare, bareUrl);
    // The app's floor: the whole middleware stack and request log, no page and no query.
    const honoUrl = `http://127.0.0.1:${honoPort}/`;
    await waitFor(honoUrl, bareHono);
    const honoFloor = await measure(bareHono, honoUrl);
    results.push({ label: "bare Hono fixed string", result: honoFloor, target: false });
    const floor = await measure(app, `${appBase}/healthz`);
    results.push({ label: "/healthz (app, no page)", result: floor, target: false });
    for (const { path, check } of [home, salon]) {
      const result = await measure(app, appBase + path, IDENTITY, check);
      results.push({ label: `${path} (app)`, result, target: true });
    }
    for (const { path, check } of [home, salon]) {
      const result = await measure(app, appBase + path, AS_A_BROWSER);
      check(await (await fetch(appBase + path)).text());
      results.push({ label: `${path} (app, br as a browser asks)`, result, target: false });
    }
    const signedInRows: { path: string; signedOut: LoadResult; signedIn: LoadResult }[] = [];
    for (const { path, check } of [home, salon]) {
      const result = await measure(app, appBase + path, signedIn, (body) => {
        check(body);
        if (!body.includes("Bench")) {
          throw new Error(`${path} was not rendered for the signed-in user`);
        }
      });
      results.push({ label: `${path} (app, signed in)`, result, target: false });
      const signedOut = results.find((r) => r.label === `${path} (app)`)!.result;
      signedInRows.push({ path, signedOut, signedIn: result });
    }
    // The signed-in hot paths, against /healthz's throughput.
    const timeStepPath = `/salons/${slug}/book?service=${serviceId}&staff=any`;
    const timeStep = await measure(app, appBase + timeStepPath, signedIn, isPage(`name="start"`));
    results.push({ label: "booking time step (signed in)", result: timeStep, target: false });
    const slotsPath = `/api/salons/${slug}/slots/?service=${serviceId}&staff=any&days=14`;
    const slotsApi = await measure(app, appBase + slotsPath, IDENTITY);
    results.push({ label: "slots API, 14 days, anyone", result: slotsApi, target: false });
    const compactApi = await measure(app, `${appBase + slotsPath}&format=compact`, IDENTITY);
    results.push({ label: "slots API, compact", result: compactApi, target: false });
    const manager = {
      ...IDENTITY,
      cookie: `__Host-salon_access=${await benchSession(dbUrl, env, managerId)}`,
    };
    const agenda = await measure(
      app,
      `${appBase}/dashboard/${slug}/agenda`,
      manager,
      isPage(`/dashboard/${slug}/bookings`),
    );
    results.push({
      label: `dashboard agenda (${staffCount} staff, ${bookingCount} bookings)`,
      result: agenda,
      target: false,
    });
    const bare2 = await measure(bare, bareUrl);
    const ceiling: LoadResult = {
      requests: bare1.requests + bare2.requests,
      seconds: bare1.seconds + bare2.seconds,
      rps: (bare1.rps + bare2.rps) / 2,
      p50: (bare1.p50 + bare2.p50) / 2,
      p99: (bare1.p99 + bare2.p99) / 2,
      cpuMs: (bare1.cpuMs + bare2.cpuMs) / 2,
    };
    results.unshift({ label: "bare Deno.serve hello (ceiling)", result: ceiling, target: false });

    const rows = results.map(({ label, result }) => [
      label,
      String(result.requests),
      result.rps.toFixed(0),
      `${result.p50.toFixed(1)} ms`,
      `${result.p99.toFixed(1)} ms`,
      Number.isNaN(result.cpuMs) ? "n/a" : `${(result.cpuMs * 1000).toFixed(0)} µs`,
      `${((result.rps / ceiling.rps) * 100).toFixed(1)} %`,
    ]);
    const header = ["target", "requests", "req/s", "p50", "p99", "server CPU", "of ceiling"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    console.log(
      `\nHTTP (Postgres, ${CONCURRENCY} concurrent keep-alive connections, ${SECONDS} s per target; ` +
        `bare runs: ${bare1.rps.toFixed(0)} and ${bare2.rps.toFixed(0)} req/s)`,
    );
    for (const row of [header, ...rows]) {
      console.log(
        "  " + row.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  "),
      );
    }
    const low = results.filter((r) => r.target && r.result.rps / ceiling.rps < TARGET_SHARE);
    console.log(
      low.length
        ? `  below the ${TARGET_SHARE * 100} % target: ${low.map((r) => r.label).join(", ")}\n`
        : `  every page is at or above ${TARGET_SHARE * 100} % of the ceiling\n`,
    );
    const verdict = (ok: boolean) => (ok ? "pass" : "FAIL");
    const floorRatio = floor.cpuMs / honoFloor.cpuMs;
    console.log(
      `  /healthz server CPU: ${floorRatio.toFixed(1)}× bare Hono's ` +
        `(target ≤ 2×: ${verdict(floorRatio <= 2)})`,
    );
    for (
      const [label, result, target] of [
        ["booking time step", timeStep, 0.25],
        ["slots API", slotsApi, 0.25],
        ["slots API, compact", compactApi, 0.25],
        ["dashboard agenda", agenda, 0.2],
      ] as const
    ) {
      const share = result.rps / floor.rps;
      console.log(
        `  ${label}: ${(share * 100).toFixed(0)} % of /healthz ` +
          `(target ≥ ${target * 100} %: ${verdict(share >= target)}; ` +
          `p99 ${(result.p99 / result.p50).toFixed(1)}× p50)`,
      );
    }
    // Target: a signed-in visitor's page at ≥ 50 % of the same page signed out.
    for (const row of signedInRows) {
      const share = row.signedIn.rps / row.signedOut.rps;
      console.log(
        `  ${row.path} signed in: ${(share * 100).toFixed(0)} % of signed out ` +
          `(target ≥ ${SIGNED_IN_SHARE * 100} %: ${share >= SIGNED_IN_SHARE ? "pass" : "FAIL"})`,
      );
    }
  } finally {
    for (const child of children) await stop(child);
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  }
}

// Without a reachable Postgres server (a laptop without one) the other benches still run.
const probe = openPostgres(ADMIN_URL, { max: 1 });
const reachable = await probe.query("SELECT 1").then(() => true, () => false);
await probe.close();
if (reachable) await run();
else {console.log(
    `\nHTTP bench skipped: no Postgres server at ${
      redactUrl(ADMIN_URL)
    } (set BENCH_DATABASE_URL)\n`,
  );}
