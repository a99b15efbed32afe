import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "@/config.ts";

Deno.test("config - defaults: port 8000, embedded PGlite in .data/pglite, development", () => {
  const dir = Deno.makeTempDirSync();
  const config = loadConfig({ DATA_DIR: dir });
  assert.equal(config.port, 8000);
  assert.equal(config.appEnv, "development");
  assert.deepEqual(config.database, { kind: "pglite", dir: ".data/pglite" });
  assert.ok(config.appSecret.length >= 32);
  assert.equal(
    loadConfig({ DATA_DIR: dir }).appSecret,
    config.appSecret,
    "dev secret survives restarts",
  );
});

Deno.test("config - DATABASE_URL selects Postgres; PGLITE_DIR=memory is in-memory", () => {
  assert.deepEqual(
    loadConfig({ APP_ENV: "test", DATABASE_URL: "postgres://u:p@db:5432/salon" }).database,
    {
      kind: "postgres",
      url: "postgres://u:p@db:5432/salon",
      pooled: false,
      directUrl: undefined,
    },
  );
  assert.deepEqual(loadConfig({ APP_ENV: "test", PGLITE_DIR: "memory" }).database, {
    kind: "pglite",
    dir: "memory",
  });
});

Deno.test("config - a direct URL means DATABASE_URL is a pooler; a replica is optional", () => {
  const pooled = loadConfig({
    APP_ENV: "test",
    DATABASE_URL: "postgres://u:p@pooler:6432/salon",
    DATABASE_DIRECT_URL: "postgres://u:p@db:5432/salon",
    DATABASE_REPLICA_URL: "postgres://u:p@replica:5432/salon",
  });
  assert.deepEqual(pooled.database, {
    kind: "postgres",
    url: "postgres://u:p@pooler:6432/salon",
    pooled: true,
    directUrl: "postgres://u:p@db:5432/salon",
  });
  assert.deepEqual(pooled.replica, { url: "postgres://u:p@replica:5432/salon", maxLagMs: 1000 });
  const poolerOnly = loadConfig({
    APP_ENV: "test",
    DATABASE_URL: "postgres://u:p@pooler:6432/salon",
    DATABASE_POOLED: "true",
  });
  assert.equal(poolerOnly.database.kind === "postgres" && poolerOnly.database.pooled, true);
  assert.equal(poolerOnly.replica, null);
});

Deno.test("config - misconfiguration throws ConfigError with one line naming the variable", async (t) => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: "eighty" }, /^PORT: /],
    [{ PORT: "70000" }, /^PORT: /],
    [{ APP_ENV: "staging" }, /^APP_ENV: /],
    [{ APP_ENV: "production" }, /^APP_SECRET is required when APP_ENV=production/],
    [{ APP_ENV: "test", APP_SECRET: "short" }, /^APP_SECRET: .*32/],
    [
      { APP_ENV: "test", DATABASE_REPLICA_URL: "postgres://replica/db" },
      /^DATABASE_DIRECT_URL and DATABASE_REPLICA_URL need DATABASE_URL/,
    ],
    [
      { APP_ENV: "test", DATABASE_URL: "postgres://h/db", DATABASE_REPLICA_URL: "mysql://h/db" },
      /^DATABASE_REPLICA_URL must start with postgres/,
    ],
    [
      { APP_ENV: "test", DATABASE_URL: "mysql://x:secretpw@h/db" },
      /^DATABASE_URL must start with postgres/,
    ],
  ];
  for (const [env, pattern] of cases) {
    await t.step(JSON.stringify(env), () => {
      assert.throws(() => loadConfig(env), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, pattern);
        assert.ok(!err.message.includes("\n"), "one line");
        assert.ok(!err.message.includes("secretpw"), "passwords are not echoed");
        return true;
      });
    });
  }
});

Deno.test("config - the server refuses to start on bad config with one clear stderr line, no stack", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    env: { PORT: "not-a-port", APP_ENV: "test" },
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr).trim();
  assert.equal(out.code, 1);
  assert.equal(stderr.split("\n").length, 1, stderr);
  assert.match(stderr, /^salon: configuration error: PORT: /);
});
