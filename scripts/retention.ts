/**
 * `deno run -A scripts/retention.ts`: runs the retention job once, now, with the configured periods
 * (OTP_RETENTION_DAYS, MESSAGE_BODY_RETENTION_DAYS), keeps the monthly partitions ready, and prints
 * what it removed. For a deployment
 * that schedules it outside the server (RETENTION_IN_PROCESS=false), e.g. from cron. Idempotent.
 */
import { ConfigError, loadConfig } from "@/config.ts";
import { openDb } from "@/db/client.ts";
import { migrate } from "@/db/migrate.ts";
import { maintainPartitions } from "@/services/privacy/partitions.ts";
import { runRetention } from "@/services/privacy/retention.ts";

if (import.meta.main) {
  try {
    const config = loadConfig();
    const db = await openDb(config);
    try {
      await migrate(db);
      const now = new Date();
      const result = await runRetention(db, now, config.retention);
      const partitions = await maintainPartitions(db, now, config.retention);
      console.log(JSON.stringify({ event: "retention.done", ...result, partitions }));
    } finally {
      await db.close();
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`retention: configuration error: ${err.message}`);
      Deno.exit(1);
    }
    throw err;
  }
}
