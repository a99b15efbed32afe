/**
 * A local fake of Authentica's custom SMS endpoint, following its documented request and response
 * shapes: `POST /api/v2/send-sms` with `X-Authorization`, JSON `{phone, message, sender_name?}`,
 * answering `{success: true, data: {...}, message}`. Tests script failures and delays.
 */
export interface FakeSms {
  phone: string;
  message: string;
  sender_name?: string;
}

export interface FakeAuthentica {
  url: string;
  apiKey: string;
  /** Accepted messages, in order. */
  sent: FakeSms[];
  /** Every request that reached the endpoint (accepted or not). */
  requests: number;
  /** The next `count` requests answer `status` (with `{success:false, message}`). */
  failNext(count: number, status: number, message?: string): void;
  /** The next `count` requests wait `ms` before answering (timeouts). */
  delayNext(count: number, ms: number): void;
  close(): Promise<void>;
}

export function startFakeAuthentica(apiKey = "test-authentica-key"): FakeAuthentica {
  const sent: FakeSms[] = [];
  const failures: { status: number; message: string }[] = [];
  const delays: number[] = [];
  let requests = 0;
  const controller = new AbortController();
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen: () => {} },
    async (req) => {
      const url = new URL(req.url);
      if (req.method !== "POST" || url.pathname !== "/api/v2/send-sms") {
        return Response.json({ success: false, message: "Not found" }, { status: 404 });
      }
      requests++;
      const delay = delays.shift();
      if (delay) await new Promise((r) => setTimeout(r, delay));
      if (req.headers.get("x-authorization") !== apiKey) {
        return Response.json({ success: false, message: "Unauthenticated." }, { status: 401 });
      }
      const failure = failures.shift();
      if (failure) {
        return Response.json({ success: false, message: failure.message }, {
          status: failure.status,
        });
      }
      let body: Partial<FakeSms>;
      try {
        body = await req.json();
      } catch {
        return Response.json({ success: false, message: "Invalid JSON" }, { status: 400 });
      }
      if (typeof body.phone !== "string" || !/^\+[1-9]\d{1,14}$/.test(body.phone)) {
        return Response.json({ success: false, message: "The phone field is invalid." }, {
          status: 422,
        });
      }
      if (typeof body.message !== "string" || body.message.length === 0) {
        return Response.json({ success: false, message: "The message field is required." }, {
          status: 422,
        });
      }
      sent.push({ phone: body.phone, message: body.message, sender_name: body.sender_name });
      return Response.json({
        success: true,
        data: { id: `sms-${sent.length}` },
        message: "SMS sent successfully",
      });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    apiKey,
    sent,
    get requests() {
      return requests;
    },
    failNext(count, status, message = "Service unavailable") {
      for (let i = 0; i < count; i++) failures.push({ status, message });
    },
    delayNext(count, ms) {
      for (let i = 0; i < count; i++) delays.push(ms);
    },
    async close() {
      controller.abort();
      await server.finished;
    },
  };
}
