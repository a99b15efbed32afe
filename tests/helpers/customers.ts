import { createSession } from "@/services/auth/sessions.ts";
import { USER_COLUMNS, userFromRow, type UserRow } from "@/services/auth/users.ts";
import type { TestApp } from "./app.ts";

let phoneCounter = 0;

/** `n` signed-up customers with access tokens (straight in the database: no OTP round trips). */
export async function makeCustomers(
  t: TestApp,
  n: number,
): Promise<{ id: string; access: string }[]> {
  const out = [];
  for (let i = 0; i < n; i++) {
    const phone = `+9665${String(++phoneCounter).padStart(4, "0")}${
      String(Math.floor(Math.random() * 1e4)).padStart(4, "0")
    }`;
    const [row] = await t.db.query<UserRow>(
      `INSERT INTO users (phone_number, is_phone_verified) VALUES ($1, true)
       RETURNING ${USER_COLUMNS}`,
      [phone],
    );
    const tokens = await createSession(t.db, t.config, t.clock.now(), userFromRow(row));
    out.push({ id: row.id, access: tokens.access });
  }
  return out;
}

/** An access token for an existing user (straight in the database). */
export async function tokenFor(t: TestApp, userId: string): Promise<string> {
  const [row] = await t.db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [
    userId,
  ]);
  return (await createSession(t.db, t.config, t.clock.now(), userFromRow(row))).access;
}
