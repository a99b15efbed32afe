import { defineHandlers } from "./_define.ts";
import { log } from "@/log.ts";

/** Readiness: the database answers. */
export const handler = defineHandlers({
  async GET(c) {
    try {
      await c.var.deps.db.query("SELECT 1");
      return c.json({ status: "ok", database: c.var.deps.db.kind });
    } catch (err) {
      log.error("readyz.database_unreachable", { error: String(err) });
      return c.json({ status: "unavailable", database: c.var.deps.db.kind }, 503);
    }
  },
});
