/**
 * A local fake of Moyasar's API v1 and its hosted invoice page, following Moyasar's documented
 * shapes, for tests and for `deno task fake:moyasar` (the full payment flow on a laptop):
 *
 * - `POST /v1/invoices {amount, currency, description, success_url, back_url, expired_at,
 *   metadata}` → 201 invoice `{id, status: "initiated", amount, currency, description,
 *   amount_format, url, expired_at, metadata, payments: [], …}`
 * - `GET /v1/invoices/:id` → the invoice with its payment attempts
 * - `POST /v1/payments` (publishable or secret key) → a payment made directly with a test card
 *   (4111 1111 1111 1111 pays, any other number fails), as Moyasar's form would
 * - `GET /v1/payments/:id`, `POST /v1/payments/:id/capture {amount?}`, `/void`, `/refund {amount?}`
 *   → the payment object `{id, status, amount, fee, currency, refunded, captured, invoice_id,
 *   metadata, source: {type, company, number, message, …}, …}`
 * - errors: `{type, message, errors}` with 400 / 401 / 404
 * - the hosted page at the invoice's `url`: Pay (paid: an invoice is paid in one step, as
 *   Moyasar documents; only a payment made with `source.manual: true` is authorized) or decline; it redirects the browser to `success_url` (paid) or `back_url`
 *   (declined; Moyasar's own page lets the customer retry, they come back with its back button),
 *   adding `id`, `status` and `message`, after sending the webhook.
 * - webhooks to `webhookUrl`: `{id, type, created_at, secret_token, account_name, live, data}`
 *   for payment_paid, payment_failed, payment_authorized, payment_captured, payment_voided and
 *   payment_refunded, unless `dropWebhooks`.
 *
 * Basic auth with the secret key as Moyasar does (401 otherwise). Switches per operation
 * (`faults`): "error500" (nothing happens, 500), "timeout" (nothing happens, no answer until the
 * caller gives up), "lost_response" (it happens, but the answer never arrives), "slow" (it
 * happens, the answer comes after `slowMs`).
 */

export type FakeOperation =
  | "create_invoice"
  | "fetch_invoice"
  | "fetch_payment"
  | "create_payment"
  | "capture"
  | "void"
  | "refund";

export type Fault = "error500" | "timeout" | "lost_response" | "slow";

export interface FakePayment {
  id: string;
  status: "initiated" | "paid" | "failed" | "authorized" | "captured" | "refunded" | "voided";
  amount: number;
  fee: number;
  currency: string;
  refunded: number;
  refunded_at: string | null;
  captured: number;
  captured_at: string | null;
  voided_at: string | null;
  description: string;
  amount_format: string;
  fee_format: string;
  refunded_format: string;
  captured_format: string;
  invoice_id: string | null;
  ip: string;
  callback_url: string | null;
  created_at: string;
  updated_at: string;
  metadata: Record<string, string> | null;
  source: {
    type: string;
    company: string;
    name: string;
    number: string;
    gateway_id: string;
    reference_number: string | null;
    token: string | null;
    message: string;
    transaction_url: string | null;
  };
}

export interface FakeInvoice {
  id: string;
  status:
    | "initiated"
    | "paid"
    | "failed"
    | "refunded"
    | "canceled"
    | "on_hold"
    | "expired"
    | "voided";
  amount: number;
  currency: string;
  description: string;
  logo_url: string | null;
  amount_format: string;
  url: string;
  callback_url: string | null;
  success_url: string | null;
  back_url: string | null;
  expired_at: string | null;
  created_at: string;
  updated_at: string;
  metadata: Record<string, string> | null;
  /** Ids of the payments made on this invoice, oldest first. */
  paymentIds: string[];
}

export interface WebhookDelivery {
  body: Record<string, unknown>;
  status: number | "error";
}

export interface MoyasarFake {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** `http://127.0.0.1:PORT/v1`, for MOYASAR_API_BASE. */
  apiBase: string;
  secretKey: string;
  publishableKey: string;
  webhookSecret: string;
  /** Where webhooks go; null = nowhere. */
  webhookUrl: string | null;
  /** The fake's clock (invoice expiry); tests hand it theirs. */
  now: () => Date;
  faults: Partial<Record<FakeOperation, Fault>>;
  slowMs: number;
  /** Send no webhooks at all (Moyasar gave up). */
  dropWebhooks: boolean;
  invoices: Map<string, FakeInvoice>;
  payments: Map<string, FakePayment>;
  requests: { method: string; path: string; body: unknown }[];
  webhooks: WebhookDelivery[];
  /** Environment for an app that talks to this fake. */
  env(): Record<string, string>;
  /** The invoice's JSON as the API returns it. */
  invoiceJson(id: string): Record<string, unknown>;
  lastInvoice(): FakeInvoice | undefined;
  /**
   * What the hosted page's buttons do: a payment on the invoice, its webhook, the return URL.
   * `authorized` is not something the page does (invoices are paid in one step): tests use it to
   * put a held payment in front of the product, as a `manual` payment would be.
   */
  payInvoice(
    invoiceId: string,
    outcome: "paid" | "failed" | "authorized",
  ): Promise<{ payment: FakePayment; redirect: string }>;
  /** A payment made directly with the publishable key (not on one of our invoices). */
  createPayment(input: {
    amount: number;
    description?: string;
    metadata?: Record<string, string>;
    outcome?: "paid" | "failed";
  }): FakePayment;
  /** Sends (or re-sends) a webhook event for a payment; returns the app's status. */
  sendWebhook(
    type: string,
    payment: FakePayment,
    overrides?: Record<string, unknown>,
  ): Promise<WebhookDelivery>;
  close(): Promise<void>;
}

const HANG_CAP_MS = 30_000;

const fmtSar = (halalas: number) => `${(halalas / 100).toFixed(2)} SAR`;

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

export function startMoyasarFake(options: {
  port?: number;
  hostname?: string;
  secretKey?: string;
  publishableKey?: string;
  webhookSecret?: string;
  webhookUrl?: string | null;
  now?: () => Date;
} = {}): MoyasarFake {
  const hostname = options.hostname ?? "127.0.0.1";
  const fake: MoyasarFake = {
    origin: "",
    apiBase: "",
    secretKey: options.secretKey ?? "sk_test_fake_secret",
    publishableKey: options.publishableKey ?? "pk_test_fake_publishable",
    webhookSecret: options.webhookSecret ?? "whsec_fake_secret_token",
    webhookUrl: options.webhookUrl ?? null,
    now: options.now ?? (() => new Date()),
    faults: {},
    slowMs: 1500,
    dropWebhooks: false,
    invoices: new Map(),
    payments: new Map(),
    requests: [],
    webhooks: [],
    env: () => ({
      MOYASAR_SECRET_KEY: fake.secretKey,
      MOYASAR_PUBLISHABLE_KEY: fake.publishableKey,
      MOYASAR_WEBHOOK_SECRET: fake.webhookSecret,
      MOYASAR_API_BASE: fake.apiBase,
    }),
    invoiceJson,
    lastInvoice: () => [...fake.invoices.values()].at(-1),
    payInvoice,
    createPayment,
    sendWebhook,
    close: () => {
      for (const release of hanging) release();
      return server.shutdown();
    },
  };
  const hanging = new Set<() => void>();

  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json; charset=utf-8" },
    });
  const error = (status: number, type: string, message: string, errors: unknown = null) =>
    json(status, { type, message, errors });

  function invoiceJson(id: string): Record<string, unknown> {
    const { paymentIds, ...invoice } = fake.invoices.get(id)!;
    return { ...invoice, payments: paymentIds.map((p) => fake.payments.get(p)!) };
  }

  function newPayment(input: {
    amount: number;
    currency: string;
    description: string;
    invoiceId: string | null;
    callbackUrl: string | null;
    metadata: Record<string, string> | null;
    status: FakePayment["status"];
    message: string;
  }): FakePayment {
    const at = fake.now().toISOString();
    const payment: FakePayment = {
      id: crypto.randomUUID(),
      status: input.status,
      amount: input.amount,
      fee: 0,
      currency: input.currency,
      refunded: 0,
      refunded_at: null,
      captured: 0,
      captured_at: null,
      voided_at: null,
      description: input.description,
      amount_format: fmtSar(input.amount),
      fee_format: fmtSar(0),
      refunded_format: fmtSar(0),
      captured_format: fmtSar(0),
      invoice_id: input.invoiceId,
      ip: "127.0.0.1",
      callback_url: input.callbackUrl,
      created_at: at,
      updated_at: at,
      metadata: input.metadata,
      source: {
        type: "creditcard",
        company: "visa",
        name: "Test Customer",
        number: "4111-11XX-XXXX-1111",
        gateway_id: `moyasar_cc_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`,
        reference_number: null,
        token: null,
        message: input.message,
        transaction_url: null,
      },
    };
    fake.payments.set(payment.id, payment);
    return payment;
  }

  function touch(p: FakePayment) {
    p.updated_at = fake.now().toISOString();
    p.refunded_format = fmtSar(p.refunded);
    p.captured_format = fmtSar(p.captured);
  }

  async function sendWebhook(
    type: string,
    payment: FakePayment,
    overrides: Record<string, unknown> = {},
  ): Promise<WebhookDelivery> {
    const body = {
      id: crypto.randomUUID(),
      type,
      created_at: fake.now().toISOString(),
      secret_token: fake.webhookSecret,
      account_name: "Salon (fake)",
      live: false,
      data: structuredClone(payment),
      ...overrides,
    };
    let delivery: WebhookDelivery;
    if (!fake.webhookUrl) delivery = { body, status: "error" };
    else {
      try {
        const res = await fetch(fake.webhookUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        await res.body?.cancel();
        delivery = { body, status: res.status };
      } catch {
        delivery = { body, status: "error" };
      }
    }
    fake.webhooks.push(delivery);
    return delivery;
  }

  async function notify(type: string, payment: FakePayment) {
    if (!fake.dropWebhooks && fake.webhookUrl) await sendWebhook(type, payment);
  }

  async function payInvoice(invoiceId: string, outcome: "paid" | "failed" | "authorized") {
    const invoice = fake.invoices.get(invoiceId);
    if (!invoice) throw new Error(`fake moyasar: no invoice ${invoiceId}`);
    if (invoice.expired_at && new Date(invoice.expired_at).getTime() <= fake.now().getTime()) {
      invoice.status = "expired";
    }
    if (invoice.status !== "initiated") {
      throw new Error(`fake moyasar: invoice ${invoiceId} is ${invoice.status}`);
    }
    const status = outcome === "failed"
      ? "failed"
      : outcome === "authorized"
      ? "authorized"
      : "paid";
    const payment = newPayment({
      amount: invoice.amount,
      currency: invoice.currency,
      description: invoice.description,
      invoiceId: invoice.id,
      callbackUrl: invoice.url,
      metadata: invoice.metadata,
      status,
      message: status === "failed" ? "DECLINED: Insufficient Funds" : "APPROVED",
    });
    invoice.paymentIds.push(payment.id);
    if (status !== "failed") {
      invoice.status = "paid";
      invoice.updated_at = fake.now().toISOString();
    }
    await notify(`payment_${status}`, payment);
    const target = new URL(
      (status === "failed" ? invoice.back_url : invoice.success_url) ?? fake.origin,
    );
    target.searchParams.set("id", payment.id);
    target.searchParams.set("status", payment.status);
    target.searchParams.set("message", payment.source.message);
    return { payment, redirect: target.toString() };
  }

  function createPayment(input: {
    amount: number;
    description?: string;
    metadata?: Record<string, string>;
    outcome?: "paid" | "failed";
  }): FakePayment {
    const failed = input.outcome === "failed";
    return newPayment({
      amount: input.amount,
      currency: "SAR",
      description: input.description ?? "Direct payment",
      invoiceId: null,
      callbackUrl: null,
      metadata: input.metadata ?? null,
      status: failed ? "failed" : "paid",
      message: failed ? "DECLINED" : "APPROVED",
    });
  }

  function authorized(req: Request, allowPublishable: boolean): boolean {
    const header = req.headers.get("authorization") ?? "";
    const match = /^Basic\s+(.+)$/i.exec(header);
    if (!match) return false;
    let user: string;
    try {
      user = atob(match[1]).split(":")[0];
    } catch {
      return false;
    }
    return user === fake.secretKey || (allowPublishable && user === fake.publishableKey);
  }

  /** Runs `work` under the operation's fault switch. */
  async function faulty(
    op: FakeOperation,
    req: Request,
    work: () => Response | Promise<Response>,
  ): Promise<Response> {
    const fault = fake.faults[op];
    const hang = () =>
      new Promise<void>((resolve) => {
        const release = () => {
          clearTimeout(timer);
          hanging.delete(release);
          resolve();
        };
        const timer = setTimeout(release, HANG_CAP_MS);
        hanging.add(release);
        req.signal.addEventListener("abort", release, { once: true });
      });
    if (fault === "error500") {
      return error(500, "api_error", "Something went wrong on our end");
    }
    if (fault === "timeout") {
      await hang();
      return new Response(null, { status: 504 });
    }
    const res = await work();
    if (fault === "lost_response") {
      await hang();
      return new Response(null, { status: 504 });
    }
    if (fault === "slow") await new Promise((r) => setTimeout(r, fake.slowMs));
    return res;
  }

  function hostedPage(invoice: FakeInvoice, lang: "ar" | "en", notice?: string): Response {
    const ar = lang === "ar";
    const amount = ar
      ? `${(invoice.amount / 100).toLocaleString("ar-SA", { minimumFractionDigits: 2 })} ر.س`
      : fmtSar(invoice.amount);
    const open = invoice.status === "initiated" &&
      !(invoice.expired_at && new Date(invoice.expired_at).getTime() <= fake.now().getTime());
    const text = ar
      ? {
        title: "ميسّر — صفحة الدفع (تجريبية)",
        pay: `ادفع ${amount}`,
        decline: "محاكاة رفض البطاقة",
        card: "بطاقة تجريبية: 4111 1111 1111 1111",
        closed: "لم تعد هذه الفاتورة تقبل الدفع.",
      }
      : {
        title: "Moyasar — payment page (test)",
        pay: `Pay ${amount}`,
        decline: "Simulate a declined card",
        card: "Test card: 4111 1111 1111 1111",
        closed: "This invoice no longer takes payments.",
      };
    const html = `<!doctype html>
<html lang="${lang}" dir="${ar ? "rtl" : "ltr"}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(text.title)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f5f5f4;margin:0;padding:24px;color:#1c1917}
main{max-width:420px;margin:0 auto;background:#fff;border:1px solid #e7e5e4;border-radius:16px;padding:24px}
h1{font-size:18px;margin:0 0 12px} .amount{font-size:28px;font-weight:700;margin:12px 0}
button{display:block;width:100%;padding:12px;border-radius:999px;border:0;font-size:16px;margin-top:12px;cursor:pointer}
.pay{background:#0f766e;color:#fff} .decline{background:#e7e5e4;color:#1c1917}
.muted{color:#57534e;font-size:14px}
</style></head>
<body><main>
<h1>${escapeHtml(text.title)}</h1>
<p>${escapeHtml(invoice.description)}</p>
<p class="amount">${escapeHtml(amount)}</p>
${notice ? `<p role="alert">${escapeHtml(notice)}</p>` : ""}
${
      open
        ? `<p class="muted">${escapeHtml(text.card)}</p>
<form method="post" action="/invoices/${invoice.id}/pay?lang=${lang}"><input type="hidden" name="outcome" value="paid"><button class="pay" type="submit">${
          escapeHtml(text.pay)
        }</button></form>
<form method="post" action="/invoices/${invoice.id}/pay?lang=${lang}"><input type="hidden" name="outcome" value="failed"><button class="decline" type="submit">${
          escapeHtml(text.decline)
        }</button></form>`
        : `<p role="alert">${escapeHtml(text.closed)}</p>`
    }
</main></body></html>`;
    return new Response(html, {
      status: open ? 200 : 410,
      headers: { "content-type": "text/html; charset=utf-8" },
    });
  }

  async function readBody(req: Request): Promise<Record<string, unknown>> {
    const type = req.headers.get("content-type") ?? "";
    if (type.includes("application/json")) {
      return await req.json().catch(() => ({})) as Record<string, unknown>;
    }
    if (type.includes("form")) {
      const form = await req.formData();
      return Object.fromEntries([...form].map(([k, v]) => [k, String(v)]));
    }
    return {};
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const path = url.pathname;
    const body = req.method === "POST" ? await readBody(req) : {};
    fake.requests.push({ method: req.method, path, body });

    if (path === "/favicon.ico") return new Response(null, { status: 204 });
    // The hosted page.
    let m = /^\/invoices\/([^/]+)$/.exec(path);
    if (m && req.method === "GET") {
      const invoice = fake.invoices.get(m[1]);
      if (!invoice) return new Response("Not found", { status: 404 });
      return hostedPage(invoice, url.searchParams.get("lang") === "ar" ? "ar" : "en");
    }
    m = /^\/invoices\/([^/]+)\/pay$/.exec(path);
    if (m && req.method === "POST") {
      const invoice = fake.invoices.get(m[1]);
      if (!invoice) return new Response("Not found", { status: 404 });
      const lang = url.searchParams.get("lang") === "ar" ? "ar" : "en";
      const outcome = body.outcome === "failed" ? "failed" : "paid";
      try {
        const { redirect } = await payInvoice(invoice.id, outcome);
        return new Response(null, { status: 303, headers: { location: redirect } });
      } catch (err) {
        return hostedPage(invoice, lang, (err as Error).message);
      }
    }

    if (!path.startsWith("/v1/")) return new Response("Not found", { status: 404 });
    const createPaymentCall = req.method === "POST" && path === "/v1/payments";
    if (!authorized(req, createPaymentCall)) {
      return error(401, "authentication_error", "Invalid authorization credentials");
    }

    if (req.method === "POST" && path === "/v1/invoices") {
      return await faulty("create_invoice", req, () => {
        const amount = body.amount;
        const description = body.description;
        if (typeof amount !== "number" || !Number.isInteger(amount) || amount < 100) {
          return error(400, "invalid_request_error", "Validation Failed", {
            amount: ["must be greater than or equal to 100"],
          });
        }
        if (typeof description !== "string" || !description) {
          return error(400, "invalid_request_error", "Validation Failed", {
            description: ["can't be blank"],
          });
        }
        const at = fake.now().toISOString();
        const id = crypto.randomUUID();
        const invoice: FakeInvoice = {
          id,
          status: "initiated",
          amount,
          currency: typeof body.currency === "string" ? body.currency : "SAR",
          description,
          logo_url: null,
          amount_format: fmtSar(amount),
          url: `${fake.origin}/invoices/${id}?lang=en`,
          callback_url: typeof body.callback_url === "string" ? body.callback_url : null,
          success_url: typeof body.success_url === "string" ? body.success_url : null,
          back_url: typeof body.back_url === "string" ? body.back_url : null,
          expired_at: typeof body.expired_at === "string" ? body.expired_at : null,
          created_at: at,
          updated_at: at,
          metadata: (body.metadata as Record<string, string> | undefined) ?? null,
          paymentIds: [],
        };
        fake.invoices.set(id, invoice);
        return json(201, invoiceJson(id));
      });
    }

    m = /^\/v1\/invoices\/([^/]+)$/.exec(path);
    if (m && req.method === "GET") {
      return await faulty("fetch_invoice", req, () => {
        const invoice = fake.invoices.get(m![1]);
        if (!invoice) return error(404, "invalid_request_error", "Object not found");
        if (
          invoice.status === "initiated" && invoice.expired_at &&
          new Date(invoice.expired_at).getTime() <= fake.now().getTime()
        ) {
          invoice.status = "expired";
        }
        return json(200, invoiceJson(invoice.id));
      });
    }

    if (createPaymentCall) {
      return await faulty("create_payment", req, () => {
        const source = (body.source ?? {}) as Record<string, unknown>;
        const amount = body.amount;
        if (typeof amount !== "number" || !Number.isInteger(amount) || amount < 100) {
          return error(400, "invalid_request_error", "Validation Failed", {
            amount: ["must be greater than or equal to 100"],
          });
        }
        const pays = String(source.number ?? "").replaceAll(" ", "") === "4111111111111111";
        const payment = createPayment({
          amount,
          description: typeof body.description === "string" ? body.description : undefined,
          metadata: body.metadata as Record<string, string> | undefined,
          outcome: pays ? "paid" : "failed",
        });
        return json(201, payment);
      });
    }

    m = /^\/v1\/payments\/([^/]+)(?:\/(capture|void|refund))?$/.exec(path);
    if (m) {
      const payment = fake.payments.get(m[1]);
      const op = m[2] as "capture" | "void" | "refund" | undefined;
      if (!op && req.method === "GET") {
        return await faulty(
          "fetch_payment",
          req,
          () =>
            payment ? json(200, payment) : error(404, "invalid_request_error", "Object not found"),
        );
      }
      if (op && req.method === "POST") {
        return await faulty(op, req, async () => {
          if (!payment) return error(404, "invalid_request_error", "Object not found");
          const amount = body.amount === undefined ? undefined : body.amount;
          if (
            amount !== undefined &&
            (typeof amount !== "number" || !Number.isInteger(amount) || amount <= 0)
          ) {
            return error(400, "invalid_request_error", "Validation Failed", {
              amount: ["is invalid"],
            });
          }
          const at = fake.now().toISOString();
          if (op === "capture") {
            if (payment.status !== "authorized") {
              return error(400, "invalid_request_error", "Payment is not in authorized state");
            }
            const value = (amount as number | undefined) ?? payment.amount;
            if (value > payment.amount) {
              return error(
                400,
                "invalid_request_error",
                "Amount is greater than the authorized amount",
              );
            }
            payment.status = "captured";
            payment.captured = value;
            payment.captured_at = at;
          } else if (op === "void") {
            if (
              !["authorized", "paid", "captured"].includes(payment.status) || payment.refunded > 0
            ) {
              return error(400, "invalid_request_error", "Payment cannot be voided");
            }
            payment.status = "voided";
            payment.voided_at = at;
          } else {
            if (!["paid", "captured", "refunded"].includes(payment.status)) {
              return error(400, "invalid_request_error", "Payment is not refundable");
            }
            const collected = payment.captured > 0 ? payment.captured : payment.amount;
            const remaining = collected - payment.refunded;
            const value = (amount as number | undefined) ?? remaining;
            if (value > remaining) {
              return error(
                400,
                "invalid_request_error",
                "Amount to be refunded is greater than the refundable amount",
              );
            }
            payment.status = "refunded";
            payment.refunded += value;
            payment.refunded_at = at;
          }
          touch(payment);
          const type = op === "capture"
            ? "payment_captured"
            : op === "void"
            ? "payment_voided"
            : "payment_refunded";
          await notify(type, payment);
          return json(200, payment);
        });
      }
    }
    return error(404, "invalid_request_error", "Not found");
  }

  const server = Deno.serve(
    { hostname, port: options.port ?? 0, onListen: () => {} },
    handle,
  );
  fake.origin = `http://${hostname}:${server.addr.port}`;
  fake.apiBase = `${fake.origin}/v1`;
  return fake;
}

if (import.meta.main) {
  const env = Deno.env.toObject();
  const port = Number(env.MOYASAR_FAKE_PORT ?? 8787);
  const fake = startMoyasarFake({
    port,
    hostname: "127.0.0.1",
    secretKey: env.MOYASAR_SECRET_KEY || undefined,
    publishableKey: env.MOYASAR_PUBLISHABLE_KEY || undefined,
    webhookSecret: env.MOYASAR_WEBHOOK_SECRET || undefined,
    webhookUrl: env.MOYASAR_FAKE_WEBHOOK_URL ?? "http://localhost:8000/api/payments/webhook/",
  });
  if (env.MOYASAR_FAKE_DROP_WEBHOOKS === "1") fake.dropWebhooks = true;
  console.log(
    `Moyasar fake on ${fake.origin} (webhooks to ${fake.webhookUrl}). Start the app with:`,
  );
  for (const [k, v] of Object.entries(fake.env())) console.log(`  ${k}=${v}`);
}
