import type { Config } from "@/config.ts";
import type { Locale } from "@/i18n/mod.ts";
import { AppError, ConflictError } from "@/services/errors.ts";
import {
  acceptanceForLogin,
  type ConsentSource,
  hasCurrentConsent,
  LOGIN_ACCEPTANCE_SECONDS,
  PrivacyNoticeRequiredError,
  recordConsent,
} from "@/services/privacy/consent.ts";
import { PRIVACY_NOTICE_VERSION } from "@/services/privacy/notice.ts";
import { DbError, PG_UNIQUE_VIOLATION } from "@/db/types.ts";
import {
  type ClientSignals,
  issueCode,
  type IssuedCode,
  type OtpContext,
  redeemCode,
} from "./otp.ts";
import type { OtpChannel } from "./otp_providers.ts";
import { createSession, type Tokens } from "./sessions.ts";
import {
  isEmailTaken,
  normalizeEmail,
  type SessionUser,
  type User,
  USER_COLUMNS,
  userFromRow,
  type UserRow,
} from "./users.ts";

export type AuthContext = OtpContext & { config: Pick<Config, "appSecret" | "otp" | "auth"> };

export interface LoginCodeInput {
  /** E.164, already parsed and allowed. */
  phone: string;
  channel: OtpChannel;
  email?: string | null;
  firstName?: string;
  lastName?: string;
  locale: Locale;
  client: ClientSignals;
  /** The privacy notice version the person accepted with this request (null: not accepted). */
  privacyNoticeVersion?: string | null;
  consentSource?: ConsentSource;
}

/**
 * Sends a login code to `phone`. The customer is created on first use (not yet verified), with
 * the given names, email and the current locale as preferred language, and with a consent row for
 * the privacy notice, in one transaction; without the notice accepted no account is created yet
 * (verifyLoginCode asks for it). An existing account is left as it is, so the answer never tells
 * whether the phone was known. An email used by another account is a 400 and then no user and no
 * code is created. Limits → RateLimitError.
 */
export async function requestLoginCode(ctx: AuthContext, input: LoginCodeInput) {
  const email = normalizeEmail(input.email);
  const issued: IssuedCode = await issueCode(ctx, {
    phone: input.phone,
    channel: input.channel,
    purpose: "auth",
    client: input.client,
    locale: input.locale,
    prepare: async (tx) => {
      const [existing] = await tx.query<{ id: string; preferred_language: Locale }>(
        "SELECT id, preferred_language FROM users WHERE phone_number = $1",
        [input.phone],
      );
      if (email) {
        const clash = await tx.query(
          "SELECT 1 FROM users WHERE email = $1 AND phone_number <> $2",
          [email, input.phone],
        );
        if (clash.length) throw new AppError(400, "auth.email.taken");
      }
      if (existing) return { locale: existing.preferred_language };
      if (!input.privacyNoticeVersion) return;
      try {
        const [created] = await tx.query<{ id: string }>(
          `INSERT INTO users (phone_number, email, first_name, last_name, preferred_language,
             created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
          [
            input.phone,
            email,
            input.firstName?.trim() ?? "",
            input.lastName?.trim() ?? "",
            input.locale,
            ctx.now,
          ],
        );
        await recordConsent(
          tx,
          created.id,
          input.privacyNoticeVersion,
          ctx.now,
          input.consentSource ?? "api",
        );
      } catch (err) {
        if (isEmailTaken(err)) throw new AppError(400, "auth.email.taken");
        throw err;
      }
    },
    privacyNoticeVersion: input.privacyNoticeVersion ?? null,
  });
  return issued;
}

/**
 * Logs in with a code from requestLoginCode: redeems it (auth purpose only), marks the phone
 * verified and starts a session, all in the transaction that uses up the code. A person without
 * the current privacy notice accepted (new, or last accepted an older version) must have accepted
 * it with this call or with a login request for this phone in the last hour; otherwise
 * PrivacyNoticeRequiredError, and the code stays usable. The acceptance becomes a consent row.
 */
export async function verifyLoginCode(
  ctx: AuthContext,
  input: {
    requestId: string;
    code: string;
    userAgent?: string | null;
    ip?: string | null;
    privacyNoticeVersion?: string | null;
    consentSource?: ConsentSource;
  },
): Promise<{ tokens: Tokens; user: User }> {
  return await redeemCode(ctx, { ...input, purpose: "auth" }, async (tx, otp) => {
    const [known] = await tx.query<{ id: string }>(
      "SELECT id FROM users WHERE phone_number = $1",
      [otp.phone_number],
    );
    let acceptedAt: Date | null = null;
    if (!known || !(await hasCurrentConsent(tx, known.id))) {
      acceptedAt = input.privacyNoticeVersion
        ? ctx.now
        : (await acceptanceForLogin(tx, otp.phone_number, ctx.now, LOGIN_ACCEPTANCE_SECONDS))
          ?.at ?? null;
      if (!acceptedAt) throw new PrivacyNoticeRequiredError();
    }
    const [row] = await tx.query<UserRow>(
      `INSERT INTO users (phone_number, is_phone_verified, created_at, updated_at)
       VALUES ($1, true, $2, $2)
       ON CONFLICT (phone_number) DO UPDATE SET is_phone_verified = true, updated_at = $2
       RETURNING ${USER_COLUMNS}`,
      [otp.phone_number, ctx.now],
    );
    const user = userFromRow(row);
    if (acceptedAt) {
      await recordConsent(
        tx,
        user.id,
        PRIVACY_NOTICE_VERSION,
        acceptedAt,
        input.consentSource ?? "api",
      );
    }
    const tokens = await createSession(tx, ctx.config, ctx.now, user, input);
    return { tokens, user };
  });
}

/**
 * Sends a `verify` code so a signed-in user can confirm a phone: their own, or a new number they
 * want to move their account to.
 */
export async function requestPhoneVerification(
  ctx: AuthContext,
  user: SessionUser,
  input: { phone: string; channel: OtpChannel; client: ClientSignals },
): Promise<IssuedCode> {
  return await issueCode(ctx, {
    ...input,
    purpose: "verify",
    userId: user.id,
    locale: user.preferredLanguage,
  });
}

/**
 * Confirms a `verify` code for the user who asked for it: marks the phone verified, moving the
 * account to the new number if it was a different one (409 when another account has it).
 */
export async function confirmPhoneVerification(
  ctx: AuthContext,
  user: SessionUser,
  input: { requestId: string; code: string },
): Promise<User> {
  return await redeemCode(
    ctx,
    { ...input, purpose: "verify", userId: user.id },
    async (tx, otp) => {
      try {
        const [row] = await tx.query<UserRow>(
          `UPDATE users SET phone_number = $2, is_phone_verified = true, updated_at = $3
           WHERE id = $1 RETURNING ${USER_COLUMNS}`,
          [user.id, otp.phone_number, ctx.now],
        );
        return userFromRow(row);
      } catch (err) {
        if (
          err instanceof DbError && err.code === PG_UNIQUE_VIOLATION &&
          err.constraint === "users_phone_number_key"
        ) {
          throw new ConflictError("auth.phone.taken");
        }
        throw err;
      }
    },
  );
}
