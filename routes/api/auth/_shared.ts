import { z } from "zod";
import type { AuthContext } from "@/services/auth/login.ts";
import { OTP_CHANNELS } from "@/services/auth/otp_providers.ts";
import { parsePhone } from "@/services/auth/phone.ts";
import { userText } from "@/services/text.ts";
import type { AppContext } from "../../_define.ts";

/** The services' view of this request: database, configuration, OTP provider and the time now. */
export function authContext(c: AppContext): AuthContext {
  const { db, config, otp } = c.var.deps;
  return { db, config, otp, now: c.var.deps.now() };
}

const numberToString = (v: unknown) => (typeof v === "number" ? String(v) : v);

/**
 * A phone number as people type it → E.164. Unparsable → the seed's exact message
 * ("…E.164 format or a valid Saudi mobile"); a country not in ALLOWED_PHONE_COUNTRIES → its own.
 */
export function phoneField(allowedCountries: readonly string[]) {
  return z.preprocess(
    numberToString,
    z.string().trim().min(1).max(40, "auth.phone.invalid").transform((value, ctx) => {
      const parsed = parsePhone(value, allowedCountries);
      if (parsed.ok) return parsed.e164;
      ctx.addIssue({
        code: "custom",
        message: parsed.reason === "country"
          ? "auth.phone.countryNotAllowed"
          : "auth.phone.invalid",
      });
      return z.NEVER;
    }),
  );
}

export const channelField = z.enum(OTP_CHANNELS as ["sms", "whatsapp"]).default("sms");

/** Optional email: blank → null; otherwise a valid address. */
export const emailField = z.preprocess(
  (v) => (typeof v === "string" ? (v.trim() === "" ? null : v.trim()) : v),
  z.email().max(254).nullable().optional(),
);

/** A first or last name: without bidi controls (services/text.ts), trimmed; "" clears it. */
export const nameField = userText().trim().max(150).optional();

export const codeFields = z.object({
  request_id: z.string().max(100),
  code: z.preprocess(numberToString, z.string().max(40)),
});
