/**
 * A local fake of Authentica's v2 OTP API, following its documented shapes:
 * - POST /api/v2/send-otp {method: "sms"|"whatsapp", phone} → 200
 *   {success: true, data: null, message: "OTP send successfully"}
 * - POST /api/v2/verify-otp {phone, otp} → 200 {status: true, message: "OTP verified successfully"}
 * Requests must carry `X-Authorization: <key>` (else 401). The fake makes its own 6-digit codes,
 * as Authentica does. Switches: `mode` for failures, `wrongCodeStyle` for how a wrong code looks.
 */

export interface FakeRequest {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export type FakeMode = "ok" | "error500" | "slow" | "unauthorized" | "sendRefused";

export interface AuthenticaFake {
  url: string;
  key: string;
  requests: FakeRequest[];
  mode: FakeMode;
  /** How long "slow" waits before answering. */
  slowMs: number;
  /** A wrong code: 400 {status:false} (default) or 200 {status:false}. */
  wrongCodeStyle: "400" | "200";
  /** The code the fake last sent to `phone` (what the customer would read on their screen). */
  codeFor(phone: string): string | undefined;
  close(): Promise<void>;
}

export function startAuthenticaFake(key = "test-authentica-key"): AuthenticaFake {
  const codes = new Map<string, string>();
  const fake: AuthenticaFake = {
    url: "",
    key,
    requests: [],
    mode: "ok",
    slowMs: 1500,
    wrongCodeStyle: "400",
    codeFor: (phone) => codes.get(phone),
    // Waits for in-flight answers (a "slow" one finishes its delay first).
    close: () => server.shutdown(),
  };
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json" },
    });

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    const body = await req.json().catch(() => ({}));
    fake.requests.push({ path: url.pathname, headers: Object.fromEntries(req.headers), body });
    if (fake.mode === "slow") {
      await new Promise((resolve) => setTimeout(resolve, fake.slowMs));
      // The caller gave up: like a real server, the work it asked for does not count.
      if (req.signal.aborted) return new Response(null, { status: 499 });
    }
    if (fake.mode === "error500") return new Response("<html>Server Error</html>", { status: 500 });
    if (fake.mode === "unauthorized" || req.headers.get("x-authorization") !== fake.key) {
      return json(401, { success: false, message: "Unauthenticated." });
    }
    if (req.method !== "POST") return json(405, { message: "Method not allowed" });
    if (url.pathname === "/api/v2/send-otp") {
      const { method, phone } = body as { method?: string; phone?: string };
      if (
        !["sms", "whatsapp", "email"].includes(method ?? "") ||
        !/^\+[1-9]\d{1,14}$/.test(phone ?? "")
      ) {
        return json(422, { success: false, message: "The given data was invalid." });
      }
      if (fake.mode === "sendRefused") {
        return json(200, { success: false, message: "Balance is not enough" });
      }
      const code = String(Math.floor(Math.random() * 1_000_000)).padStart(6, "0");
      codes.set(phone!, code);
      return json(200, { success: true, data: null, message: "OTP send successfully" });
    }
    if (url.pathname === "/api/v2/verify-otp") {
      const { phone, otp } = body as { phone?: string; otp?: string };
      if (phone && otp && codes.get(phone) === otp) {
        codes.delete(phone);
        return json(200, { status: true, message: "OTP verified successfully" });
      }
      return json(fake.wrongCodeStyle === "400" ? 400 : 200, {
        status: false,
        message: "Invalid OTP",
      });
    }
    return json(404, { message: "Not found" });
  });
  fake.url = `http://127.0.0.1:${server.addr.port}`;
  return fake;
}
