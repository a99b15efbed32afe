import { log } from "@/log.ts";
import type { Db } from "./types.ts";

/** Any constant: the key of the advisory lock every migrator takes. */
const MIGRATION_LOCK_KEY = 727_001;

export interface Migration {
  version: string;
  name: string;
  sql: string;
}

const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url);

/** Reads `db/migrations/NNNN_name.sql` in order. */
export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(entry.name);
    if (!entry.isFile || !match) continue;
    const sql = await Deno.readTextFile(new URL(entry.name, dir));
    migrations.push({ version: match[1], name: match[2], sql });
  }
  return migrations.sort((a, b) => a.version.localeCompare(b.version));
}

/**
 * Applies pending migrations, each in its own transaction under a transaction-level advisory
 * lock, so concurrent migrators (two instances starting together) apply each file exactly once
 * and a failing file leaves nothing of itself behind. Returns the versions it applied.
 */
export async function migrate(db: Db, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? await loadMigrations();
  if (await allApplied(db, all)) return [];
  await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });
  const applied: string[] = [];
  for (const migration of all) {
    const didApply = await db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
      const done = await tx.query("SELECT 1 FROM schema_migrations WHERE version = $1", [
        migration.version,
      ]);
      if (done.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (didApply) {
      applied.push(migration.version);
      log.info("db.migrated", { version: migration.version, name: migration.name });
    }
  }
  return applied;
}

/**
 * True when every migration is recorded: the common start of an up-to-date database costs two
 * reads instead of a locked transaction per file. No lock is needed: migrations are only ever
 * added, so once all are applied no concurrent migrator can make that untrue.
 */
async function allApplied(db: Db, all: Migration[]): Promise<boolean> {
  const [{ present }] = await db.query<{ present: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
  );
  if (!present) return false;
  const rows = await db.query<{ version: string }>("SELECT version FROM schema_migrations");
  const applied = new Set(rows.map((r) => r.version));
  return all.every((m) => applied.has(m.version));
}
