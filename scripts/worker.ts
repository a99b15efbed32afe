/**
 * `deno task worker`: the outbox worker as its own process, next to any number of servers (run
 * them with WORKER_IN_PROCESS=false, or not: workers share the work through SKIP LOCKED). Needs a
 * Postgres server (DATABASE_URL): the embedded PGlite database belongs to the one server process.
 * Stops after the message in hand on SIGTERM or SIGINT.
 */
import { ConfigError, loadConfig, redactUrl } from "@/config.ts";
import { openDb } from "@/db/client.ts";
import { migrate } from "@/db/migrate.ts";
import { log, setLogLevel } from "@/log.ts";
import { startMessageWorker } from "@/services/messages/run.ts";

async function main() {
  const config = loadConfig();
  setLogLevel(config.logLevel);
  if (config.database.kind !== "postgres") {
    throw new ConfigError(
      "the worker process needs DATABASE_URL (a Postgres server); with the embedded database the server runs the worker itself",
    );
  }
  const db = await openDb(config);
  await migrate(db);
  log.info("worker.process_started", {
    database: redactUrl(config.database.url),
    provider: config.notifications.provider,
  });
  const worker = startMessageWorker(db, config);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("worker.stopping", { signal });
    await worker.stop();
    await db.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
  Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
}

try {
  await main();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`salon worker: configuration error: ${err.message}`);
    Deno.exit(1);
  }
  throw err;
}
