/**
 * Cold start on the embedded database: from spawning `deno run -A main.ts` to its first 200 on
 * `/`, with PGLITE_DIR pointing at a fresh directory that already holds a migrated, seeded
 * database (prepared once here, then copied for every run, so each start opens files it has never
 * opened). Also, for information, the very first start on an empty directory (migrations and the
 * demo seed included, `--seed-if-empty`).
 *
 * One untimed start first warms Deno's module cache (a deployed server has its modules cached
 * too); then COLD_START_RUNS (default 5) timed starts, median reported. Target: ≤ 1.5 s.
 * Loopback only; each server is stopped with SIGTERM and must exit.
 */
import { migrate } from "@/db/migrate.ts";
import { openPglite } from "@/db/pglite.ts";
import { seedDemoData } from "@/db/seed.ts";
import { setLogLevel } from "@/log.ts";
import { ensureBuild } from "@/runtime/ensure_build.ts";

setLogLevel("error");

const RUNS = Number(Deno.env.get("COLD_START_RUNS") ?? 5);
const EMPTY_RUNS = 2;
const TARGET_MS = 1500;
const ROOT = new URL("../", import.meta.url);

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function copyDir(from: string, to: string) {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const source = `${from}/${entry.name}`;
    const target = `${to}/${entry.name}`;
    if (entry.isDirectory) await copyDir(source, target);
    else if (entry.isFile) await Deno.copyFile(source, target);
  }
}

/** Milliseconds from spawn to the first 200 on `/`. */
async function start(dir: string, args: string[] = []): Promise<number> {
  const port = freePort();
  const began = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", ...args],
    cwd: ROOT,
    env: {
      PGLITE_DIR: dir,
      PORT: String(port),
      DATABASE_URL: "",
      APP_ENV: "development",
      LOG_LEVEL: "warn",
    },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let exited = false;
  child.status.then(() => (exited = true));
  try {
    while (performance.now() - began < 60_000) {
      if (exited) throw new Error("the server exited before answering");
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`);
        await res.body?.cancel();
        if (res.status === 200) return performance.now() - began;
        throw new Error(`/ answered ${res.status}`);
      } catch (err) {
        if (!(err instanceof TypeError)) throw err; // not listening yet
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error("no answer within 60 s");
  } finally {
    if (!exited) child.kill("SIGTERM");
    const status = await child.status;
    const stderr = new TextDecoder().decode((await child.stderr.getReader().read()).value);
    if (!status.success && status.signal !== "SIGTERM") {
      console.error(`server exited with ${status.code}: ${stderr.slice(0, 2000)}`);
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const work = await Deno.makeTempDir({ prefix: "salon-cold-start-" });
try {
  await ensureBuild();
  // The prepared database: migrated and seeded, closed cleanly.
  const prepared = `${work}/prepared`;
  const db = await openPglite(prepared);
  await migrate(db);
  await seedDemoData(db);
  await db.close();

  await start(`${work}/warm-up`, ["--seed-if-empty"]); // untimed: fills Deno's module cache

  const seeded: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = `${work}/seeded-${i}`;
    await copyDir(prepared, dir);
    seeded.push(await start(dir));
  }
  const empty: number[] = [];
  for (let i = 0; i < EMPTY_RUNS; i++) {
    empty.push(await start(`${work}/empty-${i}`, ["--seed-if-empty"]));
  }

  const ms = (n: number) => `${Math.round(n)} ms`;
  const rows = [
    [
      `migrated + seeded dir (${RUNS} runs)`,
      ms(median(seeded)),
      seeded.map(ms).join(", "),
      median(seeded) <= TARGET_MS ? `ok (≤ ${ms(TARGET_MS)})` : `OVER ${ms(TARGET_MS)}`,
    ],
    [
      `empty dir: migrations + seed (${EMPTY_RUNS} runs)`,
      ms(median(empty)),
      empty.map(ms).join(", "),
      "information",
    ],
  ];
  const header = ["cold start to first 200 on /", "median", "runs", "target"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  console.log("\nCold start, embedded PGlite (`deno run -A main.ts`)");
  for (const row of [header, ...rows]) {
    console.log("  " + row.map((c, i) => c.padEnd(widths[i])).join("  "));
  }
  console.log();
} finally {
  await Deno.remove(work, { recursive: true });
}
