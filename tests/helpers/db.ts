import { loadConfig } from "@/config.ts";
import { loadMigrations, migrate, type Migration } from "@/db/migrate.ts";
import { openPglite } from "@/db/pglite.ts";
import { openPostgres } from "@/db/postgres.ts";
import type { Db } from "@/db/types.ts";

export interface TestDb {
  db: Db;
  /** Another handle on the same database, as a second app instance would have (Postgres only). */
  openAnother(): Db | undefined;
  close(): Promise<void>;
}

const config = loadConfig(undefined, { APP_ENV: "test" });

/**
 * A migrated, empty database of its own: in-memory PGlite, or a new database on TEST_DATABASE_URL.
 * `migrations` stops at an earlier schema (to test a migration on data written before it).
 */
export function createTestDb(migrations?: Migration[]): Promise<TestDb> {
  if (config.testDatabaseUrl) return createServerDb(config.testDatabaseUrl, migrations);
  return migrations ? createPgliteAt(migrations) : createPgliteDb();
}

async function createPgliteAt(migrations: Migration[]): Promise<TestDb> {
  const db = await openPglite("memory");
  await migrate(db, migrations);
  return { db, openAnother: () => undefined, close: () => db.close() };
}

/** The Postgres server tests create their databases on (TEST_DATABASE_URL), if any. */
export function testServerUrl(): string | undefined {
  return config.testDatabaseUrl;
}

/** The environment that points an app process at a test database, as tests' own handles are. */
export function testServerEnv(dbName: string): Record<string, string> {
  const env = { DATABASE_URL: withDatabase(config.testDatabaseUrl!, dbName) };
  const direct = config.testDatabaseDirectUrl;
  return direct ? { ...env, DATABASE_DIRECT_URL: withDatabase(direct, dbName) } : env;
}

function withDatabase(serverUrl: string, dbName: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  return url.toString();
}

export function testBackend(): "pglite" | "postgres" {
  return config.testDatabaseUrl ? "postgres" : "pglite";
}

let template: Promise<Blob> | undefined;

/** Migrating a fresh PGlite takes seconds; a snapshot of a migrated one, cached by migration hash, loads in a fraction. */
async function pgliteTemplate(): Promise<Blob> {
  const migrations = await loadMigrations();
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(migrations.map((m) => m.version + m.sql).join("\n")),
  );
  const hash = Array.from(
    new Uint8Array(digest).slice(0, 8),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
  const path = `${config.dataDir}/test-template-${hash}.tar`;
  try {
    return new Blob([await Deno.readFile(path)]);
  } catch {
    const db = await openPglite("memory");
    await migrate(db, migrations);
    const blob = await db.dump();
    await db.close();
    await Deno.mkdir(config.dataDir, { recursive: true });
    const tmp = `${path}.${crypto.randomUUID()}`;
    await Deno.writeFile(tmp, new Uint8Array(await blob.arrayBuffer()));
    await Deno.rename(tmp, path);
    return blob;
  }
}

async function createPgliteDb(): Promise<TestDb> {
  template ??= pgliteTemplate();
  const db = await openPglite("memory", await template);
  return { db, openAnother: () => undefined, close: () => db.close() };
}

/**
 * A new database on the server. With TEST_DATABASE_DIRECT_URL, TEST_DATABASE_URL is a transaction
 * pooler: handles go through it as the app's would (DATABASE_URL + DATABASE_DIRECT_URL), while the
 * database is created and dropped directly.
 */
async function createServerDb(serverUrl: string, migrations?: Migration[]): Promise<TestDb> {
  const name = `salon_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const direct = config.testDatabaseDirectUrl;
  const admin = openPostgres(direct ?? serverUrl, { max: 1 });
  await admin.exec(`CREATE DATABASE ${name}`);
  const handles: Db[] = [];
  const open = () => {
    const handle = openPostgres(withDatabase(serverUrl, name), {
      max: 10,
      pooled: Boolean(direct),
      directUrl: direct && withDatabase(direct, name),
    });
    handles.push(handle);
    return handle;
  };
  const db = open();
  await migrate(db, migrations);
  return {
    db,
    openAnother: open,
    async close() {
      await Promise.all(handles.map((h) => h.close()));
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}
