import { defineHandlers } from "./_define.ts";

/** Liveness: the process answers. */
export const handler = defineHandlers({
  GET: (c) => c.json({ status: "ok" }),
});
