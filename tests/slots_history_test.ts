import assert from "node:assert/strict";
import type { Queryable } from "@/db/types.ts";
import { DbError } from "@/db/types.ts";
import { listSlots } from "@/services/slots/load.ts";
import { createTestDb, testBackend } from "./helpers/db.ts";
import {
  everyDay,
  hm,
  makeBooking,
  makeSalon,
  makeService,
  makeStaff,
} from "./helpers/factories.ts";

const B = testBackend();
const NOW = new Date("2026-11-21T09:00:00Z");

interface PlanNode {
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  Plans?: PlanNode[];
}

/** Rows of `relation` that the plan's scans read (returned or filtered out), over all loops. */
function rowsRead(node: PlanNode, relation: string): number {
  const own = node["Relation Name"] === relation
    ? ((node["Actual Rows"] ?? 0) + (node["Rows Removed by Filter"] ?? 0) +
      (node["Rows Removed by Index Recheck"] ?? 0)) * (node["Actual Loops"] ?? 1)
    : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsRead(child, relation), 0);
}

function indexesUsed(node: PlanNode): string[] {
  return [node["Index Name"] ?? [], ...(node.Plans ?? []).map(indexesUsed)].flat();
}

/** Runs `fn` in a transaction that is then rolled back, and returns its result. */
async function rolledBack<T>(db: Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const rollback = new Error("roll back");
  let result: T | undefined;
  await assert.rejects(
    db.transaction(async (tx) => {
      result = await fn(tx);
      throw rollback;
    }),
    (e) => e === rollback,
  );
  return result as T;
}

/** A handle that runs each query under EXPLAIN ANALYZE first and keeps the plans. */
function explaining(tx: Queryable, plans: PlanNode[]): Queryable {
  return {
    query: async (text, params) => {
      const [row] = await tx.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${text}`,
        params,
      );
      plans.push(row["QUERY PLAN"][0].Plan);
      return tx.query(text, params);
    },
    sql: tx.sql.bind(tx),
    exec: tx.exec.bind(tx),
    transaction: tx.transaction.bind(tx),
  };
}

Deno.test(`slots (${B}) - the loader reads a staff member's bookings near the dates shown, never their history`, async () => {
  const { db, close } = await createTestDb();
  try {
    const salon = await makeSalon(db, { hours: everyDay(hm(9), hm(21)), slot_step_minutes: 30 });
    const service = await makeService(db, salon, { duration_minutes: 60 });
    const noura = await makeStaff(db, salon, { services: [service.id] });
    // A year of past visits, three a day; past bookings stay `confirmed`.
    await db.query(
      `INSERT INTO bookings (salon_id, service_id, staff_id, starts_at, ends_at, block_start,
                             block_end, duration_minutes, status, price_halalas)
       SELECT $1, $2, $3, t, t + interval '1 hour', t, t + interval '1 hour', 60, 'confirmed', 10000
       FROM generate_series($4::timestamptz - interval '365 days', $4::timestamptz,
                            interval '8 hours') AS t`,
      [salon.id, service.id, noura.id, new Date("2026-11-10T06:00:00Z")],
    );
    await makeBooking(db, { service, staff: noura, starts_at: new Date("2026-11-22T07:00:00Z") });

    // Each of the two indexes on a staff member's active bookings must bound the scan on its own,
    // whichever the planner picks (PGlite never gathers statistics; a server does).
    for (
      const [index, other] of [
        ["booking_items_no_overlap", "DROP INDEX booking_items_staff_active"],
        [
          "booking_items_staff_active",
          "ALTER TABLE booking_items DROP CONSTRAINT booking_items_no_overlap",
        ],
      ]
    ) {
      const plans: PlanNode[] = [];
      const slots = await rolledBack(db, async (tx) => {
        await tx.exec(other);
        await tx.query("SET LOCAL enable_seqscan = off");
        return await listSlots(explaining(tx, plans), {
          salonId: salon.id,
          serviceId: service.id,
          staff: noura.id,
          fromDate: "2026-11-22",
          days: 2,
          now: NOW,
        });
      });
      const [first] = slots.days;
      assert.equal(first.date, "2026-11-22");
      assert.ok(first.slots.length > 0);
      assert.ok(!first.slots.some((s) => s.startMs === Date.parse("2026-11-22T07:00:00Z")));
      assert.equal(plans.length, 1, "one query");
      assert.ok(indexesUsed(plans[0]).includes(index), index);
      const read = rowsRead(plans[0], "booking_items");
      assert.ok(read <= 5, `${index}: read ${read} rows for 1 in the window and 1,096 in the past`);
    }
  } finally {
    await close();
  }
});

Deno.test(`slots (${B}) - no appointment lasts longer than 12 hours (the loader's lower bound)`, async () => {
  const { db, close } = await createTestDb();
  try {
    const salon = await makeSalon(db);
    const service = await makeService(db, salon, { duration_minutes: 60 });
    const noura = await makeStaff(db, salon, { services: [service.id] });
    const starts = new Date("2026-11-22T06:00:00Z");
    await makeBooking(db, {
      service,
      staff: noura,
      starts_at: starts,
      ends_at: new Date(starts.getTime() + 12 * 3_600_000),
    });
    await assert.rejects(
      makeBooking(db, {
        service,
        staff: noura,
        starts_at: new Date("2026-11-24T06:00:00Z"),
        ends_at: new Date("2026-11-24T18:01:00Z"),
      }),
      (e) => e instanceof DbError && e.constraint === "bookings_appointment_at_most_12_hours",
    );
  } finally {
    await close();
  }
});
