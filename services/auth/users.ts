import type { Queryable } from "@/db/types.ts";
import { DbError, PG_UNIQUE_VIOLATION } from "@/db/types.ts";
import type { Locale } from "@/i18n/mod.ts";
import { AppError, NotFoundError, ValidationError } from "@/services/errors.ts";
import { formatPhone } from "./phone.ts";

export interface User {
  id: string;
  phoneNumber: string;
  email: string | null;
  firstName: string;
  lastName: string;
  preferredLanguage: Locale;
  isPhoneVerified: boolean;
  isAdmin: boolean;
  createdAt: Date;
}

/** Platform role carried in access tokens; per-salon roles live in salon_memberships. */
export type Role = "admin" | "customer";

/** The signed-in person as every handler sees it (`state.user`). */
export interface SessionUser extends User {
  role: Role;
  sessionId: string;
  /** How this request proved the session: a Bearer header or the browser's cookie. */
  via: "bearer" | "cookie";
  /** A member of some salon's team (their pages link the dashboard). */
  worksAtSalon?: boolean;
}

export interface UserRow {
  id: string;
  phone_number: string;
  email: string | null;
  first_name: string;
  last_name: string;
  preferred_language: Locale;
  is_phone_verified: boolean;
  is_admin: boolean;
  created_at: Date;
}

export const USER_COLUMNS =
  "id, phone_number, email, first_name, last_name, preferred_language, is_phone_verified, is_admin, created_at";

export function userFromRow(row: UserRow): User {
  return {
    id: row.id,
    phoneNumber: row.phone_number,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    preferredLanguage: row.preferred_language,
    isPhoneVerified: row.is_phone_verified,
    isAdmin: row.is_admin,
    createdAt: row.created_at,
  };
}

export function roleOf(user: Pick<User, "isAdmin">): Role {
  return user.isAdmin ? "admin" : "customer";
}

/**
 * The seed's display rule: a person's name, else their phone number. Use it wherever a person is
 * shown (staff lists, bookings, reviews, the header).
 */
export function displayName(
  person: { firstName?: string | null; lastName?: string | null; phoneNumber: string },
): string {
  const name = `${person.firstName ?? ""} ${person.lastName ?? ""}`.trim();
  return name || person.phoneNumber;
}

/** displayName for pages: a phone fallback is written the readable way (+966 51 234 5678). */
export function friendlyName(
  person: { firstName?: string | null; lastName?: string | null; phoneNumber: string },
): string {
  const name = displayName(person);
  return name === person.phoneNumber ? formatPhone(name) : name;
}

/** The JSON shape of a user under /api (snake_case, like the seed). */
export function publicUser(user: User) {
  return {
    id: user.id,
    phone_number: user.phoneNumber,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    display_name: displayName(user),
    preferred_language: user.preferredLanguage,
    is_phone_verified: user.isPhoneVerified,
    role: roleOf(user),
  };
}

export async function getUser(db: Queryable, id: string): Promise<User | null> {
  const [row] = await db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users WHERE id = $1 AND is_active`,
    [id],
  );
  return row ? userFromRow(row) : null;
}

export function normalizeEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim().toLowerCase();
  return trimmed ? trimmed : null;
}

export function isEmailTaken(err: unknown): boolean {
  return err instanceof DbError && err.code === PG_UNIQUE_VIOLATION &&
    err.constraint === "users_email_key";
}

export interface ProfileChanges {
  firstName?: string;
  lastName?: string;
  email?: string | null;
  preferredLanguage?: Locale;
}

/**
 * Updates a user's own profile fields. An email already used by another account is a
 * ValidationError on `email` (checked first, and again by the UNIQUE constraint for races).
 */
export async function updateProfile(
  db: Queryable,
  userId: string,
  changes: ProfileChanges,
  now: Date,
): Promise<User> {
  const email = changes.email === undefined ? undefined : normalizeEmail(changes.email);
  return await db.transaction(async (tx) => {
    if (email) {
      const clash = await tx.sql`SELECT 1 FROM users WHERE email = ${email} AND id <> ${userId}`;
      if (clash.length) throw new ValidationError({ email: ["auth.email.taken"] });
    }
    try {
      const [row] = await tx.query<UserRow>(
        `UPDATE users SET
           first_name = COALESCE($2, first_name),
           last_name = COALESCE($3, last_name),
           email = CASE WHEN $4::boolean THEN $5 ELSE email END,
           preferred_language = COALESCE($6, preferred_language),
           updated_at = $7
         WHERE id = $1 AND is_active
         RETURNING ${USER_COLUMNS}`,
        [
          userId,
          changes.firstName?.trim() ?? null,
          changes.lastName?.trim() ?? null,
          email !== undefined,
          email ?? null,
          changes.preferredLanguage ?? null,
          now,
        ],
      );
      if (!row) throw new NotFoundError();
      return userFromRow(row);
    } catch (err) {
      if (isEmailTaken(err)) throw new ValidationError({ email: ["auth.email.taken"] });
      throw err;
    }
  });
}

/** Makes the owner of `phone` a platform admin, creating the account if needed. */
export async function grantAdmin(
  db: Queryable,
  phone: string,
  now: Date,
): Promise<{ user: User; created: boolean }> {
  const [row] = await db.query<UserRow & { inserted: boolean }>(
    `INSERT INTO users (phone_number, is_admin, created_at, updated_at)
     VALUES ($1, true, $2, $2)
     ON CONFLICT (phone_number) DO UPDATE SET is_admin = true, updated_at = $2
     RETURNING ${USER_COLUMNS}, (xmax = 0) AS inserted`,
    [phone, now],
  );
  if (!row) throw new AppError(409, "error.conflict");
  return { user: userFromRow(row), created: row.inserted };
}
