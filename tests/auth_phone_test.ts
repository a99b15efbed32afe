/** Phone numbers as people type them: which are accepted, and the E.164 we store. */
import assert from "node:assert/strict";
import { displayName } from "@/services/auth/users.ts";
import { formatPhone, parsePhone, toAsciiDigits } from "@/services/auth/phone.ts";
import { makeTestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import { ACCEPT_PRIVACY, postJson } from "./helpers/auth.ts";

const SA = ["SA"];
const E164 = "+966512345678";

const VALID: [string, string][] = [
  ["0512345678", E164],
  ["512345678", E164],
  ["966512345678", E164],
  ["00966512345678", E164],
  ["+966512345678", E164],
  ["+966 51 234 5678", E164],
  ["051-234-5678", E164],
  ["(051) 234 5678", E164],
  ["05 12 34 56 78", E164],
  [" 0512345678 ", E164],
  ["٠٥١٢٣٤٥٦٧٨", E164], // Arabic-Indic digits
  ["+٩٦٦٥١٢٣٤٥٦٧٨", E164],
  ["۰۵۱۲۳۴۵۶۷۸", E164], // Extended Arabic-Indic (Persian/Urdu keyboards)
  ["\u200e+966 51 234 5678\u200e", E164], // pasted with direction marks
  ["0551234567", "+966551234567"],
  ["0591234567", "+966591234567"],
];

const INVALID: string[] = [
  "123",
  "",
  "   ",
  "05123",
  "051234567890", // too long
  "+9665123456789",
  "0112345678", // a Riyadh landline: cannot receive SMS or WhatsApp
  "+966112345678",
  "abc0512345678",
  "0512345678x",
  "+1",
  "٠٥١٢",
  "++966512345678",
];

Deno.test("phone formats - accepted inputs and the E.164 stored for each", () => {
  for (const [input, expected] of VALID) {
    const result = parsePhone(input, SA);
    assert.deepEqual(result, { ok: true, e164: expected, country: "SA" }, JSON.stringify(input));
  }
});

Deno.test("phone formats - rejected inputs are 'invalid'", () => {
  for (const input of INVALID) {
    assert.deepEqual(
      parsePhone(input, SA),
      { ok: false, reason: "invalid" },
      JSON.stringify(input),
    );
  }
});

Deno.test("phone formats - valid numbers of other countries are refused unless allowed", () => {
  assert.deepEqual(parsePhone("+971501234567", SA), { ok: false, reason: "country" });
  assert.deepEqual(parsePhone("+971501234567", ["SA", "AE"]), {
    ok: true,
    e164: "+971501234567",
    country: "AE",
  });
  assert.deepEqual(parsePhone("+201001234567", ["SA", "EG"]), {
    ok: true,
    e164: "+201001234567",
    country: "EG",
  });
});

Deno.test("phone formats - digits, display format and the seed's display rule", () => {
  assert.equal(toAsciiDigits("٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹"), "0123456789 0123456789");
  assert.equal(formatPhone(E164), "+966 51 234 5678");
  assert.equal(displayName({ firstName: "", lastName: "", phoneNumber: E164 }), E164);
  assert.equal(displayName({ firstName: " ", lastName: null, phoneNumber: E164 }), E164);
  assert.equal(displayName({ firstName: "Sara", lastName: "", phoneNumber: E164 }), "Sara");
  assert.equal(
    displayName({ firstName: "سارة", lastName: "علي", phoneNumber: E164 }),
    "سارة علي",
  );
});

Deno.test(`phone formats (${testBackend()}) - through the API every accepted spelling reaches the same account`, async () => {
  const t = await makeTestApp({ OTP_RESEND_COOLDOWN_SECONDS: "0", OTP_MAX_PER_WINDOW: "100" });
  try {
    for (const [input] of VALID.filter(([, e164]) => e164 === E164)) {
      const res = await postJson(t.app, "/api/auth/phone/request/", {
        phone_number: input,
        channel: "sms",
        ...ACCEPT_PRIVACY,
      });
      assert.equal(res.status, 201, JSON.stringify(input));
    }
    const users = await t.db.query<{ phone_number: string }>("SELECT phone_number FROM users");
    assert.deepEqual([...users], [{ phone_number: E164 }]);
    for (const input of INVALID.slice(0, 8)) {
      const res = await postJson(t.app, "/api/auth/phone/request/", {
        phone_number: input,
        channel: "sms",
      }, { "accept-language": "en" });
      assert.equal(res.status, 400, JSON.stringify(input));
      const body = await res.json();
      assert.ok(Array.isArray(body.phone_number), JSON.stringify(input));
    }
    const numeric = await postJson(t.app, "/api/auth/phone/request/", {
      phone_number: 512345678,
      channel: "sms",
    });
    assert.equal(numeric.status, 201, "a number sent as a JSON number is read as digits");
  } finally {
    await t.close();
  }
});
