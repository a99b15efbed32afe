import { loadConfig } from "@/config.ts";
import { loadMigrations, migrate, type Migration } from "@/db/migrate.ts";
import { openPglite, type PgliteDb } from "@/db/pglite.ts";
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

/** A short digest of every migration's text: a template is reused only for the same schema. */
async function migrationsHash(migrations: Migration[]): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(migrations.map((m) => m.version + m.sql).join("\n")),
  );
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}

let template: Promise<Blob> | undefined;

/** Migrating a fresh PGlite takes seconds; a snapshot of a migrated one, cached by migration hash, loads in a fraction. */
async function pgliteTemplate(): Promise<Blob> {
  const migrations = await loadMigrations();
  const path = `${config.dataDir}/test-template-${await migrationsHash(migrations)}.tar`;
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

/**
 * Starting PGlite from the template still costs a second or two of CPU per test, most of the
 * suite's time; a database a finished test leaves behind is reused instead, once emptied back to
 * the template's contents. One whose schema the test changed, that still listens, or that the test
 * closed itself is closed instead.
 */
const idlePglite: PgliteDb[] = [];
let pgliteBaseline: Promise<Baseline> | undefined;

async function createPgliteDb(): Promise<TestDb> {
  template ??= pgliteTemplate();
  const db = idlePglite.pop() ?? await openPglite("memory", await template);
  pgliteBaseline ??= readBaseline(db);
  await pgliteBaseline;
  return { db, openAnother: () => undefined, close: () => recyclePglite(db) };
}

async function recyclePglite(db: PgliteDb): Promise<void> {
  const baseline = await pgliteBaseline!;
  try {
    if (!db.inUse() && await schemaFingerprint(db) === baseline.schema) {
      await resetToBaseline(db, baseline);
      idlePglite.push(db);
      return;
    }
  } catch {
    // Left in a state it cannot be emptied from: closed below like any other.
  }
  if (!db.inUse()) await db.close();
}

interface Baseline {
  schema: string;
  /** Every table but schema_migrations, emptied on reset… */
  tables: string[];
  /** …then the rows the migrations themselves inserted put back. */
  rows: { table: string; columns: string[]; json: unknown[] }[];
  sequences: { name: string; value: number; called: boolean }[];
}

async function schemaFingerprint(db: Db): Promise<string> {
  const [row] = await db.query<{ fingerprint: string }>(`
    SELECT md5(string_agg(x, ',' ORDER BY x)) AS fingerprint FROM (
      SELECT 'r' || c.relname || c.relkind::text FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
      UNION ALL SELECT 'k' || co.conname || co.convalidated::text FROM pg_constraint co
        JOIN pg_namespace n ON n.oid = co.connamespace WHERE n.nspname = 'public'
      UNION ALL SELECT 't' || tgname || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal
      UNION ALL SELECT 'f' || p.proname || md5(p.prosrc) FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
    ) AS catalog(x)`);
  return row.fingerprint;
}

async function readBaseline(db: Db): Promise<Baseline> {
  const tables = (await db.query<{ name: string }>(
    `SELECT quote_ident(tablename) AS name FROM pg_tables
      WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY tablename`,
  )).map((t) => t.name);
  const rows: Baseline["rows"] = [];
  for (const table of tables) {
    const [{ json }] = await db.query<{ json: unknown[] | null }>(
      `SELECT json_agg(t) AS json FROM ${table} AS t`,
    );
    if (!json) continue;
    const columns = (await db.query<{ name: string }>(
      `SELECT quote_ident(attname) AS name FROM pg_attribute
        WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
        ORDER BY attnum`,
      [table],
    )).map((c) => c.name);
    rows.push({ table, columns, json });
  }
  const sequences = await db.query<{ name: string; value: number; called: boolean }>(
    `SELECT quote_ident(sequencename) AS name, coalesce(last_value, start_value)::int AS value,
            last_value IS NOT NULL AS called
       FROM pg_sequences WHERE schemaname = 'public'`,
  );
  return { schema: await schemaFingerprint(db), tables, rows, sequences };
}

async function resetToBaseline(db: Db, baseline: Baseline): Promise<void> {
  await db.exec("DISCARD ALL");
  await db.transaction(async (tx) => {
    await tx.exec(`TRUNCATE ${baseline.tables.join(", ")} RESTART IDENTITY CASCADE`);
    for (const { table, columns, json } of baseline.rows) {
      const list = columns.join(", ");
      await tx.query(
        `INSERT INTO ${table} (${list})
         SELECT ${list} FROM json_populate_recordset(NULL::${table}, $1::json)`,
        [JSON.stringify(json)],
      );
    }
    for (const { name, value, called } of baseline.sequences) {
      await tx.query("SELECT setval($1::regclass, $2, $3)", [name, value, called]);
    }
  });
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
  if (migrations) {
    await admin.exec(`CREATE DATABASE ${name}`);
  } else {
    serverTemplate ??= ensureServerTemplate(direct ?? serverUrl);
    await admin.exec(`CREATE DATABASE ${name} TEMPLATE ${await serverTemplate}`);
  }
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
  if (migrations) await migrate(db, migrations);
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

/** Every server template's name starts so; `.ci/run` drops them when it is done. */
export const SERVER_TEMPLATE_PREFIX = "salon_test_template_";
const TEMPLATE_LOCK_KEY = 727_002;
let serverTemplate: Promise<string> | undefined;

/**
 * Copying a migrated template database (CREATE DATABASE … TEMPLATE) takes a fraction of running
 * every migration again. The template is named by the migrations' hash, built once under an
 * advisory lock (parallel test processes wait for the first), and renamed into place only when
 * complete, so a crash never leaves a half-migrated template behind.
 */
async function ensureServerTemplate(adminUrl: string): Promise<string> {
  const name = `${SERVER_TEMPLATE_PREFIX}${await migrationsHash(await loadMigrations())}`;
  const admin = openPostgres(adminUrl, { max: 1 });
  try {
    return await admin.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [TEMPLATE_LOCK_KEY]);
      const found = await tx.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (found.length === 0) await buildServerTemplate(adminUrl, name);
      return name;
    });
  } finally {
    await admin.close();
  }
}

async function buildServerTemplate(adminUrl: string, name: string): Promise<void> {
  const building = `${name}_${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`;
  const admin = openPostgres(adminUrl, { max: 1 });
  try {
    await admin.exec(`CREATE DATABASE ${building}`);
    const db = openPostgres(withDatabase(adminUrl, building), { max: 1 });
    await migrate(db);
    await db.close();
    // The migrator's session may take a moment to leave the server after close().
    for (let attempt = 0;; attempt++) {
      try {
        await admin.exec(`ALTER DATABASE ${building} RENAME TO ${name}`);
        return;
      } catch (err) {
        if (attempt >= 50) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await admin.close();
  }
}
