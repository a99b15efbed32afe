import type { Config } from "@/config.ts";
import { openPglite } from "./pglite.ts";
import { openPostgres } from "./postgres.ts";
import type { Db } from "./types.ts";

export type { Db, Queryable, Row, Tx } from "./types.ts";

/** Opens the database the configuration names: a Postgres server, else embedded PGlite. */
export function openDb(config: Pick<Config, "database">): Promise<Db> {
  return config.database.kind === "postgres"
    ? Promise.resolve(openPostgres(config.database.url, config.database))
    : openPglite(config.database.dir);
}
