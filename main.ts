import { createApp } from "@/app.ts";
import { ConfigError, loadConfig, redactUrl } from "@/config.ts";
import { openDb } from "@/db/client.ts";
import { openPostgres } from "@/db/postgres.ts";
import { replicaReads } from "@/db/replica.ts";
import { migrate } from "@/db/migrate.ts";
import { isEmpty, seedDemoData } from "@/db/seed.ts";
import { log, setLogLevel } from "@/log.ts";
import { loadAssetFiles, readManifest } from "@/runtime/assets.ts";
import { countInFlight } from "@/runtime/drain.ts";
import { createOtpProvider } from "@/services/auth/otp_providers.ts";
import { startMessageWorker } from "@/services/messages/run.ts";
import { startRetentionJob } from "@/services/privacy/retention.ts";
import { createMoyasarClient } from "@/services/payments/moyasar.ts";
import { startPaymentJobs } from "@/services/payments/run.ts";
import { createPhotoStorage } from "@/services/photos/storage.ts";

const flags = new Set(Deno.args);

async function main() {
  const config = loadConfig();
  setLogLevel(config.logLevel);

  const assets = flags.has("--dev") || flags.has("--build-if-missing")
    ? await (await import("@/runtime/ensure_build.ts")).ensureBuild()
    : await readManifest();
  if (!assets) {
    log.warn("assets.missing", { hint: "run `deno task build`; pages with islands will fail" });
  }
  const assetFiles = assets ? await loadAssetFiles(assets) : new Map();

  const db = await openDb(config);
  await migrate(db);
  const photos = createPhotoStorage(config.photos, db);
  if (flags.has("--seed-if-empty") && await isEmpty(db)) {
    const seeded = await seedDemoData(db, new Date(), photos);
    log.info("db.seeded", seeded);
  }

  // Lag-tolerant public reads go to the replica while it is healthy (routes/_reads.ts).
  const replica = config.replica &&
    replicaReads(
      openPostgres(config.replica.url, {
        pooled: config.database.kind === "postgres" && config.database.pooled,
      }),
      db,
      config.replica.maxLagMs,
    );

  const otp = createOtpProvider(config);
  // Moyasar, when keys are set (otherwise online payment is unavailable: pay at the salon).
  const payments = createMoyasarClient(config.payments);
  if (!payments) {
    log.info("payments.disabled", { hint: "set MOYASAR_SECRET_KEY for online payment" });
  }
  const app = createApp({
    config,
    db,
    replica,
    now: () => new Date(),
    assets,
    assetFiles,
    otp,
    payments,
    photos,
  });
  const inFlight = countInFlight(app.fetch);
  const server = Deno.serve({
    port: config.port,
    hostname: "0.0.0.0",
    onListen: ({ port }) =>
      log.info("server.listening", {
        url: `http://localhost:${port}`,
        env: config.appEnv,
        database: config.database.kind === "postgres"
          ? redactUrl(config.database.url)
          : `pglite:${config.database.dir}`,
      }),
  }, inFlight.fetch);
  // The outbox worker delivers booking messages (WORKER_IN_PROCESS=false: `deno task worker` does).
  const worker = config.notifications.workerInProcess ? startMessageWorker(db, config) : null;
  // Deletes and scrubs personal data past its retention period (docs/privacy.md), once a day
  // across all instances.
  const retention = config.retention.inProcess ? startRetentionJob(db, config.retention) : null;
  // Reconciliation and pending captures, voids and refunds (safe in every instance).
  const paymentJobs = payments ? startPaymentJobs(db, payments, config.payments) : null;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("server.stopping", { signal });
    // Requests sent before the signal but not read yet would be cut off by shutdown(): serve until
    // quiet, then close the listener.
    await inFlight.idle();
    await server.shutdown(); // lets in-flight requests finish
    await worker?.stop(); // finishes the message in hand
    await retention?.stop();
    await paymentJobs?.stop(); // finishes the pass in hand
    await replica?.close();
    await db.close();
    log.info("server.stopped", {});
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
  Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
}

try {
  await main();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`salon: configuration error: ${err.message}`);
    Deno.exit(1);
  }
  throw err;
}
