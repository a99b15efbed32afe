import assert from "node:assert/strict";
import { seedDemoData } from "@/db/seed.ts";
import { ensureBuild } from "@/runtime/ensure_build.ts";
import { createTestDb, testBackend, testServerEnv } from "./helpers/db.ts";

const ROOT = new URL("..", import.meta.url).pathname;

async function waitForServer(
  url: string,
  process: Deno.ChildProcess,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  process.kill("SIGKILL");
  throw new Error(`server did not answer ${url} within ${timeoutMs} ms`);
}

// Production runs against a Postgres server, so this runs in the Postgres pass (TEST_DATABASE_URL).
Deno.test({
  name:
    "production mode - `deno task serve` permissions only (net, env, read): pages and assets work, no writes",
  ignore: testBackend() !== "postgres",
  async fn() {
    const manifest = await ensureBuild();
    const testDb = await createTestDb();
    await seedDemoData(testDb.db, new Date());
    const [{ slug, service }] = await testDb.db.query<{ slug: string; service: string }>(
      `SELECT s.slug, v.id AS service FROM salons s JOIN services v ON v.salon_id = s.id
       ORDER BY s.slug, v.sort_order LIMIT 1`,
    );
    const dbName =
      (await testDb.db.query<{ name: string }>("SELECT current_database() AS name"))[0].name;
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const server = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-net", "--allow-env", "--allow-read", "main.ts"],
      cwd: ROOT,
      env: {
        APP_ENV: "production",
        APP_SECRET: "p".repeat(40),
        ...testServerEnv(dbName),
        PORT: String(port),
        AUTHENTICA_API_KEY: "unused-in-this-test",
        AUTHENTICA_BASE_URL: "http://127.0.0.1:9",
        WORKER_IN_PROCESS: "false",
      },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitForServer(`${base}/readyz`, server);
      let assetsLoaded = 0;
      const timeStep = `/salons/${slug}/book?service=${service}&staff=any`;
      for (
        const path of [
          "/",
          `/salons/${slug}`,
          `/salons/${slug}/book`,
          timeStep,
          "/login",
          "/?lang=en",
        ]
      ) {
        const res = await fetch(base + path);
        assert.equal(res.status, 200, path);
        const html = await res.text();
        assert.match(html, /^<!DOCTYPE html><html lang="(ar|en)"/, path);
        assert.equal(
          res.headers.get("strict-transport-security"),
          "max-age=63072000; includeSubDomains",
        );
        for (const [, src] of html.matchAll(/(?:from|import i\d+ from )"(\/assets\/[^"]+)"/g)) {
          const asset = await fetch(base + src);
          assert.equal(asset.status, 200, src);
          assert.equal(asset.headers.get("cache-control"), "public, max-age=31536000, immutable");
          await asset.body?.cancel();
          assetsLoaded++;
        }
      }
      const picker = await (await fetch(base + timeStep)).text();
      assert.ok(
        picker.includes(`/assets/${manifest.buildId}/`),
        "the slot picker loads from the build",
      );
      assert.ok(assetsLoaded > 0);
    } finally {
      server.kill("SIGTERM");
      const { stderr } = await server.output();
      const errors = new TextDecoder().decode(stderr);
      assert.ok(!/PermissionDenied|NotCapable|Requires (write|run) access/.test(errors), errors);
      await testDb.close();
    }
  },
});
