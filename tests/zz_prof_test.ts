import { makeTestApp } from "@/tests/helpers/app.ts";
import { setLogLevel } from "@/log.ts";
import { Hono } from "hono";
Deno.test("prof", async () => {
  setLogLevel("info");
  const t = await makeTestApp();
  const hono = new Hono(); hono.get("/", (c) => c.text("hello"));
  const time = async (label: string, n: number, f: () => Promise<unknown>) => {
    for (let i = 0; i < 2000; i++) await f();
    const t0 = performance.now(); for (let i = 0; i < n; i++) await f();
    console.log("P", label, ((performance.now() - t0) / n * 1000).toFixed(1), "µs");
  };
  for (let r = 0; r < 2; r++) {
    await time("hono", 20000, async () => await (await hono.request("/")).text());
    await time("healthz", 20000, async () => await (await t.app.request("/healthz")).text());
  }
  await t.close();
});
