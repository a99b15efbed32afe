import { z } from "zod";
import type { Config } from "@/config.ts";
import { log } from "@/log.ts";
import type { Channel } from "./types.ts";

/** One message for a provider to carry. */
export interface OutgoingMessage {
  /** E.164 phone number. */
  to: string;
  channel: Channel;
  body: string;
  /** Stable across retries of the same message (its row id): a provider that deduplicates by it
   * delivers a message once however often a crashed worker retries it. */
  idempotencyKey: string;
}

/**
 * Carries messages on SMS and, where it can, WhatsApp. `send` resolves once the provider has
 * accepted the message; it throws PermanentSendError when retrying cannot help (bad number,
 * refused content, bad credentials) and anything else (RetryableSendError, network errors,
 * timeouts) when a later attempt may succeed. Nothing here touches the database.
 */
export interface MessageChannelProvider {
  readonly name: string;
  /** The channels it can deliver; the worker sends WhatsApp messages as SMS on the others. */
  readonly channels: readonly Channel[];
  send(message: OutgoingMessage): Promise<{ providerMessageId: string | null }>;
}

export class SendError extends Error {
  override name = "SendError";
  constructor(message: string, readonly retryable: boolean, readonly status?: number) {
    super(message);
  }
}

/** Try again later: the provider is down, slow, or rate limiting. */
export class RetryableSendError extends SendError {
  override name = "RetryableSendError";
  constructor(message: string, status?: number) {
    super(message, true, status);
  }
}

/** Retrying cannot help: the provider refused this message. */
export class PermanentSendError extends SendError {
  override name = "PermanentSendError";
  constructor(message: string, status?: number) {
    super(message, false, status);
  }
}

export function isRetryable(err: unknown): boolean {
  return !(err instanceof SendError) || err.retryable;
}

/** The console provider's line, exactly as printed. */
export interface ConsoleMessageLine {
  event: "message.sent";
  provider: "console";
  message_id: string;
  channel: Channel;
  to: string;
  body: string;
  idempotency_key: string;
}

/**
 * Development and tests: prints one JSON line `{"event":"message.sent",…}` per message (via
 * `sink`, default stdout) instead of sending anything. Keeps nothing in memory: /dev/messages
 * reads the messages table, which every instance shares. Config refuses it in production.
 */
export function consoleMessageProvider(
  sink: (line: ConsoleMessageLine) => void = (line) => log.raw({ ...line }),
): MessageChannelProvider {
  return {
    name: "console",
    channels: ["sms", "whatsapp"],
    send(message) {
      const id = `console-${crypto.randomUUID()}`;
      sink({
        event: "message.sent",
        provider: "console",
        message_id: id,
        channel: message.channel,
        to: message.to,
        body: message.body,
        idempotency_key: message.idempotencyKey,
      });
      return Promise.resolve({ providerMessageId: id });
    },
  };
}

export interface AuthenticaMessageOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
  /** The sender name registered with Authentica; omitted = Authentica's default sender. */
  senderName?: string;
  fetch?: typeof fetch;
}

const SmsResponse = z.looseObject({
  success: z.boolean().optional(),
  message: z.string().optional(),
  data: z.unknown().optional(),
});

function providerId(data: unknown): string | null {
  if (data && typeof data === "object") {
    for (const key of ["id", "message_id", "messageId"]) {
      const value = (data as Record<string, unknown>)[key];
      if (typeof value === "string" || typeof value === "number") return String(value);
    }
  }
  return null;
}

/**
 * Authentica's custom SMS API: `POST {baseUrl}/api/v2/send-sms {phone, message, sender_name}` with
 * the `X-Authorization` key. Authentica documents WhatsApp only for its OTP templates, not for
 * free text, so this provider offers SMS only (WhatsApp messages go out as SMS). A timeout, a
 * network error, 408, 409, 425, 429 or 5xx is retryable; any other non-2xx, or `success: false`,
 * is permanent. Authentica documents no idempotency key: a worker crash between its call and the
 * mark can deliver an SMS twice (at least once, never zero).
 */
export function authenticaMessageProvider(
  options: AuthenticaMessageOptions,
): MessageChannelProvider {
  const doFetch = options.fetch ?? fetch;
  return {
    name: "authentica",
    channels: ["sms"],
    async send(message) {
      if (message.channel !== "sms") {
        throw new PermanentSendError(`authentica: ${message.channel} is not supported`);
      }
      let res: Response;
      let text: string;
      try {
        res = await doFetch(`${options.baseUrl}/api/v2/send-sms`, {
          method: "POST",
          headers: {
            "accept": "application/json",
            "content-type": "application/json",
            "x-authorization": options.apiKey,
          },
          body: JSON.stringify({
            phone: message.to,
            message: message.body,
            ...(options.senderName ? { sender_name: options.senderName } : {}),
          }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        text = await res.text();
      } catch (err) {
        const timedOut = err instanceof DOMException &&
          (err.name === "TimeoutError" || err.name === "AbortError");
        throw new RetryableSendError(
          timedOut
            ? `authentica: timeout after ${options.timeoutMs} ms`
            : "authentica: network error",
        );
      }
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        // An HTML error page: judged by its status alone.
      }
      const parsed = SmsResponse.safeParse(json ?? {});
      const detail = parsed.success && parsed.data.message ? `: ${parsed.data.message}` : "";
      if (res.status < 200 || res.status >= 300) {
        const retry = res.status >= 500 || [408, 409, 425, 429].includes(res.status);
        const msg = `authentica: HTTP ${res.status}${detail}`.slice(0, 300);
        throw retry
          ? new RetryableSendError(msg, res.status)
          : new PermanentSendError(msg, res.status);
      }
      if (!parsed.success || parsed.data.success === false) {
        throw new PermanentSendError(`authentica: refused${detail}`.slice(0, 300), res.status);
      }
      return { providerMessageId: providerId(parsed.data.data) };
    },
  };
}

/** The provider `NOTIFICATION_PROVIDER` names (independent of the OTP provider). */
export function createMessageProvider(
  config: Pick<Config, "notifications">,
): MessageChannelProvider {
  const n = config.notifications;
  if (n.provider === "authentica") return authenticaMessageProvider(n.authentica);
  return consoleMessageProvider();
}
