import { z } from "zod";
import type { Config } from "@/config.ts";
import type { Locale } from "@/i18n/mod.ts";
import { log } from "@/log.ts";
import { AppError } from "@/services/errors.ts";

export type OtpChannel = "sms" | "whatsapp";
export const OTP_CHANNELS: readonly OtpChannel[] = ["sms", "whatsapp"];

export interface OtpSend {
  phone: string;
  channel: OtpChannel;
  /** Our code, or null when the provider makes its own. */
  code: string | null;
  requestId: string;
  /** The language of the message (the user's preferred language). */
  locale: Locale;
  now: Date;
}

/**
 * Delivers one-time codes. Either we generate the code and the provider only carries it
 * (`checksCodes: false`), or the provider generates and checks it (`checksCodes: true`, `check`).
 * Failures throw OtpProviderError; nothing here touches the database.
 */
export interface OtpProvider {
  readonly name: string;
  readonly checksCodes: boolean;
  send(message: OtpSend): Promise<void>;
  check?(input: { phone: string; code: string }): Promise<boolean>;
}

/** The provider could not send or check a code: a localized 502 for the client. */
export class OtpProviderError extends AppError {
  constructor(readonly detail: string) {
    super(502, "auth.otp.providerFailed");
  }
}

/** The console provider's one line per code, exactly as printed. */
export interface OtpMessage {
  event: "otp.sent";
  phone: string;
  channel: OtpChannel;
  code: string;
  request_id: string;
}

export interface ConsoleOtpProvider extends OtpProvider {
  /** The latest messages, newest first (for /dev/messages in development). */
  recent(): ReadonlyArray<OtpMessage & { sent_at: string }>;
}

const RECENT_LIMIT = 50;

/**
 * Development and tests: prints `{"event":"otp.sent",…,"code":…}` (via `sink`, default stdout)
 * instead of sending anything. Config refuses it in production.
 */
export function consoleOtpProvider(
  sink: (message: OtpMessage) => void = (message) => log.raw({ ...message }),
): ConsoleOtpProvider {
  // Only a development convenience for one process; the codes themselves live in Postgres.
  const recent: (OtpMessage & { sent_at: string })[] = [];
  return {
    name: "console",
    checksCodes: false,
    send(message) {
      if (!message.code) throw new OtpProviderError("console provider needs a code");
      const line: OtpMessage = {
        event: "otp.sent",
        phone: message.phone,
        channel: message.channel,
        code: message.code,
        request_id: message.requestId,
      };
      sink(line);
      recent.unshift({ ...line, sent_at: message.now.toISOString() });
      recent.length = Math.min(recent.length, RECENT_LIMIT);
      return Promise.resolve();
    },
    recent: () => recent,
  };
}

export interface AuthenticaOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

const SendResponse = z.looseObject({ success: z.boolean().optional() });
const VerifyResponse = z.looseObject({
  status: z.boolean().optional(),
  verified: z.boolean().optional(),
});

/**
 * Authentica's v2 OTP API: `POST /api/v2/send-otp {method, phone}` and
 * `POST /api/v2/verify-otp {phone, otp}` with the `X-Authorization` key. Authentica generates and
 * checks the code. A timeout, a network error or a 5xx/401/403/429 is an OtpProviderError; a
 * 400/422 from verify is a wrong code.
 */
export function authenticaOtpProvider(options: AuthenticaOptions): OtpProvider {
  const doFetch = options.fetch ?? fetch;
  async function post(path: string, body: Record<string, unknown>) {
    const started = performance.now();
    try {
      const res = await doFetch(`${options.baseUrl}${path}`, {
        method: "POST",
        headers: {
          "accept": "application/json",
          "content-type": "application/json",
          "x-authorization": options.apiKey,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await res.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        // Non-JSON bodies (HTML error pages) are judged by status alone.
      }
      return { status: res.status, json };
    } catch (err) {
      const timedOut = err instanceof DOMException &&
        (err.name === "TimeoutError" || err.name === "AbortError");
      log.warn("otp.provider_failed", {
        provider: "authentica",
        path,
        reason: timedOut ? "timeout" : "network",
        ms: Math.round(performance.now() - started),
      });
      throw new OtpProviderError(timedOut ? "timeout" : "network error");
    }
  }
  function fail(path: string, status: number): never {
    log.warn("otp.provider_failed", { provider: "authentica", path, reason: "status", status });
    throw new OtpProviderError(`HTTP ${status}`);
  }
  return {
    name: "authentica",
    checksCodes: true,
    async send({ phone, channel }) {
      const path = "/api/v2/send-otp";
      const { status, json } = await post(path, { method: channel, phone });
      if (status < 200 || status >= 300) fail(path, status);
      const parsed = SendResponse.safeParse(json ?? {});
      if (!parsed.success || parsed.data.success === false) fail(path, status);
    },
    async check({ phone, code }) {
      const path = "/api/v2/verify-otp";
      const { status, json } = await post(path, { phone, otp: code });
      if (status === 400 || status === 422) return false;
      if (status < 200 || status >= 300) fail(path, status);
      const parsed = VerifyResponse.safeParse(json ?? {});
      if (!parsed.success) fail(path, status);
      return parsed.data.status === true || parsed.data.verified === true;
    },
  };
}

/** The provider the configuration names. */
export function createOtpProvider(config: Pick<Config, "otp">): OtpProvider {
  if (config.otp.provider === "authentica") {
    const { apiKey, baseUrl, timeoutMs } = config.otp.authentica;
    return authenticaOtpProvider({ apiKey, baseUrl, timeoutMs });
  }
  return consoleOtpProvider();
}

export function isConsoleProvider(provider: OtpProvider): provider is ConsoleOtpProvider {
  return provider.name === "console" && "recent" in provider;
}
