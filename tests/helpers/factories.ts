/**
 * Test data factories: each inserts one row with sensible defaults and returns it; pass only what
 * the test is about. Column names are the database's (snake_case).
 */
import type { Queryable } from "@/db/types.ts";
import type { WeeklyInterval } from "@/services/slots/engine.ts";

type Row = Record<string, unknown>;

let counter = 0;
/** A short unique suffix for slugs and names. */
export function unique(prefix = "x"): string {
  counter++;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 6)}`;
}

async function insert<T extends Row>(db: Queryable, table: string, values: Row): Promise<T> {
  const columns = Object.keys(values).filter((k) => values[k] !== undefined);
  const params = columns.map((k) => values[k]);
  const [row] = await db.query<T>(
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${
      columns.map((_, i) => `$${i + 1}`).join(", ")
    }) RETURNING *`,
    params,
  );
  return row;
}

/** The same interval on every weekday (ISO 1 = Monday … 7 = Sunday). */
export function everyDay(startMinute: number, endMinute: number): WeeklyInterval[] {
  return [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute, endMinute }));
}

/** Minutes from midnight: hm(9, 30) = 570. */
export function hm(hours: number, minutes = 0): number {
  return hours * 60 + minutes;
}

export interface TestSalon extends Row {
  id: string;
  slug: string;
  timezone: string;
  name_ar: string;
  name_en: string;
}

/**
 * A salon open 09:00–21:00 every day in Asia/Riyadh with no minimum notice (so tests see every
 * slot), plus any column overrides. `hours` replaces the opening hours ([] = closed all week).
 */
export async function makeSalon(
  db: Queryable,
  overrides: Row & { hours?: WeeklyInterval[] } = {},
): Promise<TestSalon> {
  const { hours = everyDay(hm(9), hm(21)), ...columns } = overrides;
  const slug = unique("salon");
  const salon = await insert<TestSalon>(db, "salons", {
    slug,
    name_ar: `صالون ${slug}`,
    name_en: `Salon ${slug}`,
    city: "riyadh",
    city_ar: "الرياض",
    city_en: "Riyadh",
    district_ar: "العليا",
    district_en: "Al Olaya",
    min_notice_minutes: 0,
    ...columns,
  });
  for (const h of hours) {
    await db.query(
      "INSERT INTO salon_hours (salon_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)",
      [salon.id, h.weekday, h.startMinute, h.endMinute],
    );
  }
  return salon;
}

export interface TestService extends Row {
  id: string;
  salon_id: string;
  duration_minutes: number;
  price_halalas: number;
  name_ar: string;
  name_en: string;
}

/** A 60-minute, SAR 100 hair service without buffers. */
export function makeService(
  db: Queryable,
  salon: { id: string },
  overrides: Row = {},
): Promise<TestService> {
  const name = unique("service");
  return insert<TestService>(db, "services", {
    salon_id: salon.id,
    category: "hair",
    name_ar: `خدمة ${name}`,
    name_en: `Service ${name}`,
    duration_minutes: 60,
    price_halalas: 10000,
    ...overrides,
  });
}

export interface TestStaff extends Row {
  id: string;
  salon_id: string;
  name_ar: string;
  name_en: string;
}

/**
 * An active staff member who performs `services` (ids, or objects with their own duration or
 * price). `hours` gives custom weekly hours ([] = works no hours); omitted = the salon's hours.
 */
export async function makeStaff(
  db: Queryable,
  salon: { id: string },
  options: Row & {
    services?: (string | { id: string; duration_minutes?: number; price_halalas?: number })[];
    hours?: WeeklyInterval[];
  } = {},
): Promise<TestStaff> {
  const { services = [], hours, ...columns } = options;
  const name = unique("staff");
  const staff = await insert<TestStaff>(db, "staff", {
    salon_id: salon.id,
    name_ar: `موظفة ${name}`,
    name_en: `Staff ${name}`,
    custom_hours: hours !== undefined,
    ...columns,
  });
  for (const s of services) {
    const spec = typeof s === "string" ? { id: s } : s;
    await db.query(
      `INSERT INTO staff_services (staff_id, service_id, salon_id, duration_minutes, price_halalas)
       VALUES ($1, $2, $3, $4, $5)`,
      [staff.id, spec.id, salon.id, spec.duration_minutes ?? null, spec.price_halalas ?? null],
    );
  }
  for (const h of hours ?? []) {
    await db.query(
      "INSERT INTO staff_hours (staff_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)",
      [staff.id, h.weekday, h.startMinute, h.endMinute],
    );
  }
  return staff;
}

/**
 * A booking row as the slot loader sees it: confirmed by default, ending after the service's
 * duration unless `ends_at` is given. Inserted directly (no availability check), so tests can set
 * up any state; the derived block columns are filled when the schema has them.
 */
export async function makeBooking(
  db: Queryable,
  spec: {
    service: { id: string; salon_id: string; duration_minutes: number; price_halalas: number };
    staff: { id: string };
    starts_at: Date;
  } & Row,
): Promise<Row & { id: string }> {
  const { service, staff, starts_at, ...columns } = spec;
  const values: Row = {
    salon_id: service.salon_id,
    service_id: service.id,
    staff_id: staff.id,
    starts_at,
    ends_at: new Date(starts_at.getTime() + service.duration_minutes * 60_000),
    status: "confirmed",
    price_halalas: service.price_halalas,
    ...columns,
  };
  const present = new Set(
    (await db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = 'bookings'`,
    )).map((r) => r.column_name),
  );
  const ends = values.ends_at as Date;
  const before = Number(values.buffer_before_minutes ?? 0);
  const after = Number(values.buffer_after_minutes ?? 0);
  const derived: Row = {
    block_start: new Date(starts_at.getTime() - before * 60_000),
    block_end: new Date(ends.getTime() + after * 60_000),
    duration_minutes: Math.round((ends.getTime() - starts_at.getTime()) / 60_000),
    cancelled_by: values.status === "cancelled" ? "salon" : undefined,
  };
  for (const [key, value] of Object.entries(derived)) {
    if (present.has(key) && values[key] === undefined) values[key] = value;
  }
  return await insert(db, "bookings", values);
}

/** A whole-salon closure over [starts_at, ends_at). */
export function makeClosure(
  db: Queryable,
  salon: { id: string },
  spec: { starts_at: Date; ends_at: Date } & Row,
): Promise<Row & { id: string }> {
  return insert(db, "salon_closures", {
    salon_id: salon.id,
    reason_ar: "إجازة العيد",
    reason_en: "Eid holiday",
    ...spec,
  });
}

/** A salon-wide break in local minutes (weekday null = every day). */
export function makeBreak(
  db: Queryable,
  salon: { id: string },
  spec: { weekday?: number | null; start_minute: number; end_minute: number } & Row,
): Promise<Row & { id: string }> {
  return insert(db, "salon_breaks", { salon_id: salon.id, weekday: null, ...spec });
}

/** Time off for one staff member over [starts_at, ends_at). */
export function makeTimeOff(
  db: Queryable,
  staff: { id: string },
  spec: { starts_at: Date; ends_at: Date } & Row,
): Promise<Row & { id: string }> {
  return insert(db, "staff_time_off", { staff_id: staff.id, ...spec });
}
