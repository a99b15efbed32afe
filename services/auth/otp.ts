import type { Config } from "@/config.ts";
import type { Db, Tx } from "@/db/types.ts";
import type { Locale, MessageKey } from "@/i18n/mod.ts";
import { log } from "@/log.ts";
import { AppError, RateLimitError } from "@/services/errors.ts";
import { constantTimeEqual, generateCode, keyedHash, sha256Hex } from "./crypto.ts";
import { type OtpChannel, type OtpProvider, OtpProviderError } from "./otp_providers.ts";
import { toAsciiDigits } from "./phone.ts";
import { isUuid } from "@/services/ids.ts";

export type OtpPurpose = "auth" | "verify";

/** What the OTP services need from the app: database, configuration, provider, the time. */
export interface OtpContext {
  db: Db;
  config: Pick<Config, "appSecret" | "otp">;
  otp: OtpProvider;
  now: Date;
}

/** Who is asking, for the per-IP and per-device limits. */
export interface ClientSignals {
  ip: string | null;
  /** "sha256:…" or "" when there is nothing to go on. */
  deviceSignal: string;
}

export interface IssuedCode {
  requestId: string;
  expiresAt: Date;
  /** When the same phone and channel may ask again. */
  resendAfterSeconds: number;
}

/** Wrong, expired, used, exhausted, superseded or other-purpose code: one answer for all. */
export class InvalidCodeError extends AppError {
  constructor() {
    super(400, "auth.code.invalid");
  }
}

/** Prefers the client's own device id; else a coarse signal from user agent and language. */
export async function deviceSignal(
  deviceId: string | null | undefined,
  userAgent: string | null | undefined,
  acceptLanguage: string | null | undefined,
): Promise<string> {
  let source = (deviceId ?? "").trim();
  if (!source) source = `${(userAgent ?? "").trim()}|${(acceptLanguage ?? "").trim()}`;
  if (!source.replaceAll("|", "")) return "";
  return `sha256:${(await sha256Hex(source)).slice(0, 24)}`;
}

/**
 * A client address as a rate-limit key: IPv4 as is, IPv6 by its /64 (one subscriber's block),
 * anything unparsable → null.
 */
export function normalizeIp(raw: string | null | undefined): string | null {
  const candidate = raw?.split(",")[0].trim().replace(/^\[|\]$/g, "");
  if (!candidate) return null;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(candidate)) {
    return candidate.split(".").every((p) => Number(p) <= 255) ? candidate : null;
  }
  if (!/^[0-9a-f:.]+$/i.test(candidate) || !candidate.includes(":")) return null;
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(candidate);
  if (mapped) return normalizeIp(mapped[1]);
  const halves = candidate.toLowerCase().split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...Array(missing).fill("0"), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

async function codeHash(secret: string, requestId: string, code: string): Promise<string> {
  return await keyedHash(secret, "otp", `${requestId}:${code}`);
}

const secondsUntil = (then: Date, now: Date) =>
  Math.max(1, Math.ceil((then.getTime() - now.getTime()) / 1000));

/** The time the window count drops below `max` again, given the rows' times (oldest first). */
function windowRetry(times: Date[], max: number, windowSeconds: number, now: Date) {
  if (max <= 0 || times.length < max) return null;
  const leaving = times[times.length - max];
  return secondsUntil(new Date(leaving.getTime() + windowSeconds * 1000), now);
}

async function lockKeys(tx: Tx, keys: string[]) {
  // Sorted, one at a time: two requests sharing keys always lock in the same order.
  for (const key of [...new Set(keys)].sort()) {
    await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [key]);
  }
}

/**
 * Checks every limit inside the caller's transaction (after lockKeys) and throws the
 * RateLimitError with the longest wait, so a client is never told to retry too early.
 * Failed sends count against nothing: an outage at the provider is not the user's doing.
 */
async function enforceLimits(
  tx: Tx,
  limits: Config["otp"],
  now: Date,
  input: { phone: string; channel: OtpChannel; client: ClientSignals },
) {
  const found: { seconds: number; key: MessageKey }[] = [];
  // No upper bound on created_at: a request that read the clock a moment before another, but
  // took the lock after it, must still count the other's row (its time is "later" than ours).
  const since = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  const times = (rows: { created_at: Date }[]) => rows.map((r) => r.created_at);

  const phoneRows = await tx.query<{ created_at: Date; channel: OtpChannel }>(
    `SELECT created_at, channel FROM otp_requests
     WHERE phone_number = $1 AND status <> 'failed' AND created_at > $2
     ORDER BY created_at`,
    [input.phone, since(Math.max(limits.windowSeconds, limits.resendCooldownSeconds))],
  );
  const inWindow = phoneRows.filter((r) => r.created_at > since(limits.windowSeconds));
  const phoneWait = windowRetry(times(inWindow), limits.maxPerWindow, limits.windowSeconds, now);
  if (phoneWait) found.push({ seconds: phoneWait, key: "auth.otp.phoneLimit" });

  const lastOnChannel = phoneRows.filter((r) => r.channel === input.channel).at(-1);
  if (lastOnChannel && limits.resendCooldownSeconds > 0) {
    const until = new Date(
      lastOnChannel.created_at.getTime() + limits.resendCooldownSeconds * 1000,
    );
    if (until > now) found.push({ seconds: secondsUntil(until, now), key: "auth.otp.cooldown" });
  }

  if (input.client.ip && limits.ipMaxPerWindow > 0) {
    const rows = await tx.query<{ created_at: Date }>(
      `SELECT created_at FROM otp_requests
       WHERE request_ip = $1 AND status <> 'failed' AND created_at > $2
       ORDER BY created_at`,
      [input.client.ip, since(limits.riskWindowSeconds)],
    );
    const wait = windowRetry(times(rows), limits.ipMaxPerWindow, limits.riskWindowSeconds, now);
    if (wait) found.push({ seconds: wait, key: "auth.otp.ipLimit" });
  }

  if (input.client.deviceSignal && limits.deviceMaxPerWindow > 0) {
    const rows = await tx.query<{ created_at: Date }>(
      `SELECT created_at FROM otp_requests
       WHERE device_signal = $1 AND status <> 'failed' AND created_at > $2
       ORDER BY created_at`,
      [input.client.deviceSignal, since(limits.riskWindowSeconds)],
    );
    const wait = windowRetry(
      times(rows),
      limits.deviceMaxPerWindow,
      limits.riskWindowSeconds,
      now,
    );
    if (wait) found.push({ seconds: wait, key: "auth.otp.deviceLimit" });
  }

  if (found.length) {
    const worst = found.reduce((a, b) => (b.seconds > a.seconds ? b : a));
    throw new RateLimitError(worst.seconds, worst.key);
  }
}

export interface IssueInput {
  phone: string;
  channel: OtpChannel;
  purpose: OtpPurpose;
  userId?: string | null;
  client: ClientSignals;
  locale: Locale;
  /**
   * Runs inside the limit-checking transaction before the code row is written (may throw); may
   * name the language of the message (an existing user's preferred language).
   */
  prepare?: (tx: Tx) => Promise<{ locale?: Locale } | void>;
  /** The privacy notice version accepted with this request (login), kept on its row. */
  privacyNoticeVersion?: string | null;
}

/**
 * Issues a code: under advisory locks on the phone, IP and device, checks every limit, runs
 * `prepare`, and records the request (status `pending`) in one transaction. Then, outside any
 * transaction, asks the provider to send it. A provider failure marks the row `failed` (never
 * redeemable) and throws OtpProviderError; success marks it `sent` and supersedes older unused
 * codes for the same phone and purpose.
 */
export async function issueCode(ctx: OtpContext, input: IssueInput): Promise<IssuedCode> {
  const { db, config, otp, now } = ctx;
  const limits = config.otp;
  const requestId = crypto.randomUUID();
  const code = otp.checksCodes ? null : generateCode();
  const hash = code ? await codeHash(config.appSecret, requestId, code) : null;
  const expiresAt = new Date(now.getTime() + limits.ttlSeconds * 1000);
  let locale = input.locale;

  await db.transaction(async (tx) => {
    const keys = [`otp:phone:${input.phone}`];
    if (input.client.ip) keys.push(`otp:ip:${input.client.ip}`);
    if (input.client.deviceSignal) keys.push(`otp:device:${input.client.deviceSignal}`);
    await lockKeys(tx, keys);
    await enforceLimits(tx, limits, now, input);
    const prepared = await input.prepare?.(tx);
    if (prepared?.locale) locale = prepared.locale;
    await tx.query(
      `INSERT INTO otp_requests (id, phone_number, channel, purpose, user_id, provider, code_hash,
         max_attempts, request_ip, device_signal, created_at, expires_at, privacy_notice_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        requestId,
        input.phone,
        input.channel,
        input.purpose,
        input.userId ?? null,
        otp.name,
        hash,
        limits.maxAttempts,
        input.client.ip,
        input.client.deviceSignal,
        now,
        expiresAt,
        input.privacyNoticeVersion ?? null,
      ],
    );
  });

  try {
    await otp.send({
      phone: input.phone,
      channel: input.channel,
      code,
      requestId,
      locale,
      now,
    });
  } catch (err) {
    await db.query("UPDATE otp_requests SET status = 'failed' WHERE id = $1", [requestId]);
    if (err instanceof OtpProviderError) throw err;
    log.warn("otp.provider_failed", {
      provider: otp.name,
      reason: err instanceof Error ? err.message : String(err),
    });
    throw new OtpProviderError("unexpected provider error");
  }

  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE otp_requests SET status = 'superseded'
       WHERE phone_number = $1 AND purpose = $2 AND status = 'sent' AND id <> $3`,
      [input.phone, input.purpose, requestId],
    );
    await tx.query("UPDATE otp_requests SET status = 'sent' WHERE id = $1 AND status = 'pending'", [
      requestId,
    ]);
  });
  log.info("otp.issued", {
    request_id: requestId,
    purpose: input.purpose,
    channel: input.channel,
    provider: otp.name,
  });
  return { requestId, expiresAt, resendAfterSeconds: limits.resendCooldownSeconds };
}

export interface OtpRequestRow {
  id: string;
  phone_number: string;
  channel: OtpChannel;
  purpose: OtpPurpose;
  user_id: string | null;
  provider: string;
  code_hash: string | null;
  status: "pending" | "sent" | "failed" | "used" | "superseded";
  attempt_count: number;
  max_attempts: number;
  request_ip: string | null;
  device_signal: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** A code as typed: Arabic-Indic digits and separators allowed; null unless six digits remain. */
export function normalizeCode(input: string): string | null {
  const digits = toAsciiDigits(input).replace(/[\s\-\u200e\u200f]/g, "");
  return /^[0-9]{6}$/.test(digits) ? digits : null;
}

export interface RedeemInput {
  requestId: string;
  code: string;
  purpose: OtpPurpose;
  /** For `verify`: the signed-in user, who must be the one who asked. */
  userId?: string;
}

/**
 * Redeems a code once. Rejects (InvalidCodeError) a request of another purpose or user, and an
 * expired, used, superseded or failed one without counting an attempt; otherwise counts the
 * attempt first, so after `max_attempts` tries even the right code fails. Our own codes are
 * compared as keyed hashes in constant time inside one transaction; provider-checked codes are
 * checked outside any transaction and then claimed with a conditional update. `onRedeemed` runs in
 * the transaction that marks the code used.
 */
export async function redeemCode<T>(
  ctx: OtpContext,
  input: RedeemInput,
  onRedeemed: (tx: Tx, row: OtpRequestRow) => Promise<T>,
): Promise<T> {
  const { db, config, otp, now } = ctx;
  const code = normalizeCode(input.code);
  if (!code || !isUuid(input.requestId)) throw new InvalidCodeError();

  type Step = { done: true; value: T } | { done: false; row: OtpRequestRow } | {
    done: "rejected";
  };
  const first: Step = await db.transaction(async (tx) => {
    const [row] = await tx.query<OtpRequestRow>(
      "SELECT * FROM otp_requests WHERE id = $1 FOR UPDATE",
      [input.requestId],
    );
    if (
      !row || row.purpose !== input.purpose ||
      (input.purpose === "verify" && row.user_id !== input.userId) ||
      row.status !== "sent" || row.expires_at <= now
    ) {
      return { done: "rejected" };
    }
    const attempts = row.attempt_count + 1;
    await tx.query("UPDATE otp_requests SET attempt_count = $2 WHERE id = $1", [row.id, attempts]);
    if (attempts > row.max_attempts) return { done: "rejected" };
    if (row.code_hash === null) return { done: false, row };
    const expected = await codeHash(config.appSecret, row.id, code);
    if (!constantTimeEqual(expected, row.code_hash)) return { done: "rejected" };
    await tx.query("UPDATE otp_requests SET status = 'used', used_at = $2 WHERE id = $1", [
      row.id,
      now,
    ]);
    return { done: true, value: await onRedeemed(tx, { ...row, status: "used", used_at: now }) };
  });
  if (first.done === "rejected") throw new InvalidCodeError();
  if (first.done) return first.value;

  // The provider holds the code: ask it, outside any transaction.
  const row = first.row;
  if (!otp.check || otp.name !== row.provider) throw new InvalidCodeError();
  let verified: boolean;
  try {
    verified = await otp.check({ phone: row.phone_number, code });
  } catch (err) {
    // The attempt was not the user's fault: give it back.
    await db.query(
      "UPDATE otp_requests SET attempt_count = greatest(attempt_count - 1, 0) WHERE id = $1",
      [row.id],
    );
    throw err;
  }
  if (!verified) throw new InvalidCodeError();
  const result: { ok: boolean; value?: T } = await db.transaction(async (tx) => {
    const [claimed] = await tx.query<OtpRequestRow>(
      `UPDATE otp_requests SET status = 'used', used_at = $2
       WHERE id = $1 AND status = 'sent' AND expires_at > $2 AND attempt_count <= max_attempts
       RETURNING *`,
      [row.id, now],
    );
    if (!claimed) return { ok: false };
    return { ok: true, value: await onRedeemed(tx, claimed) };
  });
  if (!result.ok) throw new InvalidCodeError();
  return result.value as T;
}

/** A code request still waiting to be redeemed (for the login page's code step). */
export async function getPendingRequest(
  db: Db,
  requestId: string,
  purpose: OtpPurpose,
  now: Date,
): Promise<OtpRequestRow | null> {
  if (!isUuid(requestId)) return null;
  const [row] = await db.query<OtpRequestRow>(
    `SELECT * FROM otp_requests
     WHERE id = $1 AND purpose = $2 AND status = 'sent' AND expires_at > $3
       AND attempt_count < max_attempts`,
    [requestId, purpose, now],
  );
  return row ?? null;
}

/** Seconds until `phone` may ask again on `channel` (0 when it may now). */
export async function resendWaitSeconds(
  db: Db,
  limits: Config["otp"],
  phone: string,
  channel: OtpChannel,
  now: Date,
): Promise<number> {
  const [row] = await db.query<{ created_at: Date }>(
    `SELECT created_at FROM otp_requests
     WHERE phone_number = $1 AND channel = $2 AND status <> 'failed' AND created_at <= $3
     ORDER BY created_at DESC LIMIT 1`,
    [phone, channel, now],
  );
  if (!row) return 0;
  const until = row.created_at.getTime() + limits.resendCooldownSeconds * 1000;
  return until > now.getTime() ? secondsUntil(new Date(until), now) : 0;
}
