import type { Queryable } from "@/db/types.ts";
import { ValidationError } from "@/services/errors.ts";
import { PRIVACY_NOTICE_VERSION } from "./notice.ts";

export type ConsentSource = "web" | "api";

export interface Consent {
  notice_version: string;
  accepted_at: Date;
  source: ConsentSource;
}

/**
 * A login needs the current privacy notice accepted (a new account, or a newer notice than the
 * person last accepted). 400 on `accept_privacy_notice`; the code that was checked stays usable.
 */
export class PrivacyNoticeRequiredError extends ValidationError {
  constructor() {
    super({ accept_privacy_notice: ["privacy.notice.required"] }, "privacy.notice.required");
  }
}

/** Acceptance of a notice that is no longer current (the page was open across an update). */
export class PrivacyNoticeOutdatedError extends ValidationError {
  constructor() {
    super({ notice_version: ["privacy.notice.outdated"] }, "privacy.notice.outdated");
  }
}

/**
 * What a client sent about the notice → the version accepted, or null when it did not accept.
 * Accepting a version other than the current one is refused (PrivacyNoticeOutdatedError).
 */
export function acceptedVersion(
  input: { accept?: boolean | null; version?: string | null },
): string | null {
  if (!input.accept) return null;
  if (input.version && input.version !== PRIVACY_NOTICE_VERSION) {
    throw new PrivacyNoticeOutdatedError();
  }
  return PRIVACY_NOTICE_VERSION;
}

/** True when the user has accepted the current notice. */
export async function hasCurrentConsent(db: Queryable, userId: string): Promise<boolean> {
  const rows = await db.query(
    "SELECT 1 FROM privacy_consents WHERE user_id = $1 AND notice_version = $2",
    [userId, PRIVACY_NOTICE_VERSION],
  );
  return rows.length > 0;
}

/** Records that `userId` accepted `version` at `at` (once per version; a repeat changes nothing). */
export async function recordConsent(
  db: Queryable,
  userId: string,
  version: string,
  at: Date,
  source: ConsentSource,
): Promise<void> {
  await db.query(
    `INSERT INTO privacy_consents (user_id, notice_version, accepted_at, source)
     VALUES ($1, $2, $3, $4) ON CONFLICT ON CONSTRAINT privacy_consents_once DO NOTHING`,
    [userId, version, at, source],
  );
}

/** Every notice version the user accepted, newest first. */
export function listConsents(db: Queryable, userId: string): Promise<Consent[]> {
  return db.query<Consent>(
    `SELECT notice_version, accepted_at, source FROM privacy_consents
     WHERE user_id = $1 ORDER BY accepted_at DESC, notice_version DESC`,
    [userId],
  );
}

/**
 * The acceptance a login request for `phone` carried: the current version accepted with one of
 * this phone's login requests in the last `withinSeconds` (the one being redeemed, or an earlier
 * one when the code was re-sent without repeating the acceptance). Null when none did.
 */
export async function acceptanceForLogin(
  db: Queryable,
  phone: string,
  now: Date,
  withinSeconds: number,
): Promise<{ at: Date } | null> {
  const [row] = await db.query<{ created_at: Date }>(
    `SELECT created_at FROM otp_requests
     WHERE phone_number = $1 AND purpose = 'auth' AND privacy_notice_version = $2
       AND created_at > $3 AND created_at <= $4
     ORDER BY created_at DESC LIMIT 1`,
    [phone, PRIVACY_NOTICE_VERSION, new Date(now.getTime() - withinSeconds * 1000), now],
  );
  return row ? { at: row.created_at } : null;
}

/** How long an acceptance given with a login request carries over to a re-sent code's login. */
export const LOGIN_ACCEPTANCE_SECONDS = 3600;
