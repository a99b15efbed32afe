/**
 * Moyasar's REST API (v1), the calls we make and nothing else, with its documented shapes:
 * - `POST /invoices {amount, currency, description, success_url, back_url, expired_at, metadata}`
 *   → 201 invoice `{id, status, amount, currency, description, url, expired_at, metadata, payments}`
 * - `GET /invoices/:id` → the invoice with its payment attempts
 * - `GET /payments/:id` → payment `{id, status, amount, currency, captured, refunded, invoice_id,
 *   metadata, source: {type, message, …}, …}`
 * - `POST /payments/:id/capture {amount?}`, `POST /payments/:id/void`,
 *   `POST /payments/:id/refund {amount?}` → the payment after the operation
 * Authentication is HTTP Basic with the secret key as the user name and no password. Amounts are
 * integer halalas. Errors come as `{type, message, errors?}`. Every call has a timeout; responses
 * are parsed with zod, so nothing unexpected reaches the services. Nothing here touches the
 * database.
 */
import { z } from "zod";
import type { PaymentsConfig } from "@/config.ts";

/** Payment statuses from Moyasar's "Payment Status Reference". */
export const MOYASAR_PAYMENT_STATUSES = [
  "initiated",
  "paid",
  "failed",
  "authorized",
  "captured",
  "refunded",
  "voided",
  "verified",
] as const;
export type MoyasarPaymentStatus = typeof MOYASAR_PAYMENT_STATUSES[number];

/** Invoice statuses from Moyasar's invoice object. */
export const MOYASAR_INVOICE_STATUSES = [
  "initiated",
  "paid",
  "failed",
  "refunded",
  "canceled",
  "on_hold",
  "expired",
  "voided",
] as const;

const Metadata = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .nullish();

const halalas = z.number().int().nonnegative();

export const MoyasarPaymentSchema = z.looseObject({
  id: z.string().min(1).max(100),
  status: z.enum(MOYASAR_PAYMENT_STATUSES),
  amount: halalas,
  fee: halalas.nullish(),
  currency: z.string().length(3),
  refunded: halalas.nullish().transform((v) => v ?? 0),
  captured: halalas.nullish().transform((v) => v ?? 0),
  refunded_at: z.string().nullish(),
  captured_at: z.string().nullish(),
  voided_at: z.string().nullish(),
  description: z.string().nullish(),
  invoice_id: z.string().nullish(),
  callback_url: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  metadata: Metadata,
  source: z.looseObject({
    type: z.string(),
    message: z.string().nullish(),
  }).nullish(),
});
export type MoyasarPayment = z.infer<typeof MoyasarPaymentSchema>;

export const MoyasarInvoiceSchema = z.looseObject({
  id: z.string().min(1).max(100),
  status: z.enum(MOYASAR_INVOICE_STATUSES),
  amount: halalas,
  currency: z.string().length(3),
  description: z.string().nullish(),
  url: z.url(),
  expired_at: z.string().nullish(),
  success_url: z.string().nullish(),
  back_url: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  metadata: Metadata,
  payments: z.array(MoyasarPaymentSchema).nullish().transform((v) => v ?? []),
});
export type MoyasarInvoice = z.infer<typeof MoyasarInvoiceSchema>;

const ErrorBody = z.looseObject({
  type: z.string().optional(),
  message: z.string().optional(),
  errors: z.unknown().optional(),
});

/**
 * Why a call failed. `transient` ones (timeout, network, 5xx, 429, an unreadable answer) may
 * succeed later, and their outcome is unknown: the operation may or may not have happened.
 */
export type MoyasarErrorKind =
  | "timeout"
  | "network"
  | "server"
  | "invalid_response"
  | "rejected"
  | "unauthorized"
  | "not_found";

export class MoyasarError extends Error {
  override name = "MoyasarError";
  constructor(
    readonly kind: MoyasarErrorKind,
    message: string,
    readonly status?: number,
    /** Moyasar's `type` (e.g. `invalid_request_error`) and its own message, for the ledger. */
    readonly providerType?: string,
  ) {
    super(message);
  }
  get transient(): boolean {
    return this.kind === "timeout" || this.kind === "network" || this.kind === "server" ||
      this.kind === "invalid_response";
  }
}

export interface CreateInvoiceInput {
  amount: number;
  currency: "SAR";
  description: string;
  /** Where the customer lands after paying (Moyasar redirects the browser there). */
  successUrl: string;
  /** Where the hosted page's back button goes. */
  backUrl: string;
  /** The invoice refuses payment after this moment (the end of the booking's hold). */
  expiredAt: Date | null;
  metadata: Record<string, string>;
}

export interface MoyasarClient {
  /** The origin of the hosted payment pages (the CSP lets our forms go there). */
  readonly checkoutOrigin: string;
  createInvoice(input: CreateInvoiceInput): Promise<MoyasarInvoice>;
  fetchInvoice(id: string): Promise<MoyasarInvoice>;
  fetchPayment(id: string): Promise<MoyasarPayment>;
  /** Captures an authorized payment (all of it unless `amount`). */
  capturePayment(id: string, amount?: number): Promise<MoyasarPayment>;
  voidPayment(id: string): Promise<MoyasarPayment>;
  /** Refunds a paid or captured payment (all that is left unless `amount`). */
  refundPayment(id: string, amount?: number): Promise<MoyasarPayment>;
}

export interface MoyasarClientOptions {
  secretKey: string;
  apiBase: string;
  checkoutOrigin: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** The HTTP client; every method throws {@link MoyasarError} on failure. */
export function moyasarClient(options: MoyasarClientOptions): MoyasarClient {
  const doFetch = options.fetch ?? fetch;
  const base = options.apiBase.replace(/\/$/, "");
  const auth = `Basic ${btoa(`${options.secretKey}:`)}`;

  async function call<S extends z.ZodType>(
    method: "GET" | "POST",
    path: string,
    schema: S,
    body?: Record<string, unknown>,
  ): Promise<z.infer<S>> {
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers: {
          accept: "application/json",
          authorization: auth,
          ...(body ? { "content-type": "application/json" } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const timedOut = err instanceof DOMException &&
        (err.name === "TimeoutError" || err.name === "AbortError");
      throw timedOut
        ? new MoyasarError(
          "timeout",
          `moyasar: ${method} ${path}: timeout after ${options.timeoutMs} ms`,
        )
        : new MoyasarError("network", `moyasar: ${method} ${path}: network error`);
    }
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // An HTML error page: judged by its status alone.
    }
    if (res.status < 200 || res.status >= 300) {
      const err = ErrorBody.safeParse(json ?? {});
      const detail = err.success && err.data.message ? `: ${err.data.message}` : "";
      const type = err.success ? err.data.type : undefined;
      const message = `moyasar: ${method} ${path}: HTTP ${res.status}${detail}`.slice(0, 500);
      const kind: MoyasarErrorKind = res.status >= 500 || res.status === 429 || res.status === 408
        ? "server"
        : res.status === 401 || res.status === 403
        ? "unauthorized"
        : res.status === 404
        ? "not_found"
        : "rejected";
      throw new MoyasarError(kind, message, res.status, type);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new MoyasarError(
        "invalid_response",
        `moyasar: ${method} ${path}: unexpected response (${
          parsed.error.issues[0]?.path.join(".")
        })`,
        res.status,
      );
    }
    return parsed.data;
  }

  const id = (value: string) => {
    if (!SAFE_ID.test(value)) throw new MoyasarError("not_found", "moyasar: malformed id");
    return encodeURIComponent(value);
  };

  return {
    checkoutOrigin: options.checkoutOrigin,
    createInvoice(input) {
      return call("POST", "/invoices", MoyasarInvoiceSchema, {
        amount: input.amount,
        currency: input.currency,
        description: input.description,
        success_url: input.successUrl,
        back_url: input.backUrl,
        ...(input.expiredAt ? { expired_at: input.expiredAt.toISOString() } : {}),
        metadata: input.metadata,
      });
    },
    fetchInvoice: (invoiceId) => call("GET", `/invoices/${id(invoiceId)}`, MoyasarInvoiceSchema),
    fetchPayment: (paymentId) => call("GET", `/payments/${id(paymentId)}`, MoyasarPaymentSchema),
    capturePayment: (paymentId, amount) =>
      call(
        "POST",
        `/payments/${id(paymentId)}/capture`,
        MoyasarPaymentSchema,
        amount === undefined ? {} : { amount },
      ),
    voidPayment: (paymentId) =>
      call("POST", `/payments/${id(paymentId)}/void`, MoyasarPaymentSchema, {}),
    refundPayment: (paymentId, amount) =>
      call(
        "POST",
        `/payments/${id(paymentId)}/refund`,
        MoyasarPaymentSchema,
        amount === undefined ? {} : { amount },
      ),
  };
}

/** The client the configuration asks for, or null when no secret key is set (pay at the salon). */
export function createMoyasarClient(
  config: PaymentsConfig,
  fetchImpl?: typeof fetch,
): MoyasarClient | null {
  if (!config.enabled) return null;
  return moyasarClient({
    secretKey: config.secretKey,
    apiBase: config.apiBase,
    checkoutOrigin: config.checkoutOrigin,
    timeoutMs: config.timeoutMs,
    fetch: fetchImpl,
  });
}
