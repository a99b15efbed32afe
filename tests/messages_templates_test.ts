import assert from "node:assert/strict";
import { ar } from "@/i18n/ar.ts";
import { en } from "@/i18n/en.ts";
import {
  renderMessage,
  smsLength,
  smsSafe,
  type TemplateKey,
} from "@/services/messages/templates.ts";
import type { MessageParams } from "@/services/messages/types.ts";

const TEMPLATES = Object.keys(en).filter((k) =>
  k.startsWith("msg.") && !k.startsWith("msg.by.")
) as TemplateKey[];

/** A typical booking: Wednesday 25 November 2026, 16:30 in Riyadh. */
function params(locale: "ar" | "en", extra: Partial<MessageParams> = {}): MessageParams {
  return {
    salon: locale === "ar" ? "صالون لمسة" : "Lamsa Salon",
    service: locale === "ar" ? "قص وتصفيف الشعر" : "Haircut and blow-dry",
    staff: locale === "ar" ? "نورة" : "Noura",
    startsAt: "2026-11-25T13:30:00Z",
    timeZone: "Asia/Riyadh",
    linkPath: "/b/Ab3dE9xZ",
    ...extra,
  };
}
const URL_ = "https://salon.sa";

Deno.test("messages - Arabic renderings: salon, service, staff, Gregorian and Hijri date, Riyadh time, short link", () => {
  assert.equal(
    renderMessage("msg.customer.confirmed", params("ar"), "ar", URL_),
    "صالون لمسة: تم تأكيد حجزك قص وتصفيف الشعر مع نورة، الأربعاء ٢٥ نوفمبر (١٥ جمادى الآخرة) الساعة ٤:٣٠ م. https://salon.sa/b/Ab3dE9xZ",
  );
  assert.equal(
    renderMessage("msg.customer.reminder2h", params("ar"), "ar", URL_),
    "تذكير: موعدك اليوم في صالون لمسة الساعة ٤:٣٠ م: قص وتصفيف الشعر مع نورة. بانتظارك! https://salon.sa/b/Ab3dE9xZ",
  );
  assert.equal(
    renderMessage("msg.staff.cancelled", params("ar", { by: "customer" }), "ar", URL_),
    "صالون لمسة: ألغى العميل حجز قص وتصفيف الشعر، الأربعاء ٢٥ نوفمبر (١٥ جمادى الآخرة) الساعة ٤:٣٠ م. https://salon.sa/b/Ab3dE9xZ",
  );
  assert.equal(
    renderMessage("msg.customer.refundIssued", params("ar", { amountHalalas: 12550 }), "ar", URL_),
    "صالون لمسة: أعدنا إليك ١٢٥٫٥٠ ر.س. عن حجز قص وتصفيف الشعر يوم الأربعاء ٢٥ نوفمبر (١٥ جمادى الآخرة). https://salon.sa/b/Ab3dE9xZ",
  );
});

Deno.test("messages - English renderings: the same facts, Hijri year included, GSM-7 only", () => {
  assert.equal(
    renderMessage("msg.customer.confirmed", params("en"), "en", URL_),
    "Lamsa Salon: your booking is confirmed: Haircut and blow-dry with Noura on Wednesday 25 November 2026 (15 Jumada II 1448 AH) at 4:30 pm. Details: https://salon.sa/b/Ab3dE9xZ",
  );
  assert.equal(
    renderMessage("msg.customer.reminder2h", params("en"), "en", URL_),
    "Reminder: Haircut and blow-dry with Noura at Lamsa Salon today at 4:30 pm. See you soon! https://salon.sa/b/Ab3dE9xZ",
  );
  assert.equal(
    renderMessage("msg.staff.cancelled", params("en", { by: "customer" }), "en", URL_),
    "Lamsa Salon: booking cancelled by the customer: Haircut and blow-dry on Wednesday 25 November 2026 (15 Jumada II 1448 AH) at 4:30 pm. https://salon.sa/b/Ab3dE9xZ",
  );
  assert.equal(
    renderMessage("msg.customer.refundIssued", params("en", { amountHalalas: 12550 }), "en", URL_),
    "Lamsa Salon: a refund of SAR 125.50 for Haircut and blow-dry on Wednesday 25 November 2026 (15 Jumada II 1448 AH) is on its way to you. https://salon.sa/b/Ab3dE9xZ",
  );
});

Deno.test("messages - the time is the salon's wall clock, and the link follows the public URL", () => {
  const body = renderMessage(
    "msg.customer.confirmed",
    params("en", { timeZone: "Europe/London" }),
    "en",
    "http://localhost:8000/",
  );
  assert.match(body, / at 1:30 pm\. Details: http:\/\/localhost:8000\/b\/Ab3dE9xZ$/);
});

Deno.test("messages - every template fits in two SMS segments for a typical booking (Arabic as UCS-2, English as GSM-7)", () => {
  for (const locale of ["ar", "en"] as const) {
    for (const template of TEMPLATES) {
      const body = renderMessage(
        template,
        params(locale, {
          by: "salon",
          amountHalalas: 12550,
          documentNumber: 1234,
          invoiceNumber: 1200,
          inclVat: true,
        }),
        locale,
        URL_,
      );
      const length = smsLength(body);
      assert.equal(length.encoding, locale === "ar" ? "ucs2" : "gsm7", `${locale} ${template}`);
      assert.ok(length.segments <= 2, `${locale} ${template}: ${length.units} units, ${body}`);
      assert.ok(!body.includes("{"), `${locale} ${template} left a placeholder: ${body}`);
    }
  }
});

Deno.test("messages - the customer's invoice and credit note: number, total incl. VAT (only for a tax document), the short link; two SMS segments at most", () => {
  const doc = (locale: "ar" | "en", extra: Partial<MessageParams> = {}) =>
    params(locale, {
      linkPath: "/b/Ab3dE9xZ/invoice",
      amountHalalas: 20700,
      documentNumber: 12,
      inclVat: true,
      ...extra,
    });
  assert.equal(
    renderMessage("msg.customer.invoiceIssued", doc("en"), "en", URL_),
    "Lamsa Salon: thank you for your visit. Invoice no. 12, total SAR 207.00 incl. VAT: https://salon.sa/b/Ab3dE9xZ/invoice",
  );
  assert.equal(
    renderMessage("msg.customer.invoiceIssued", doc("ar"), "ar", URL_),
    "صالون لمسة: شكرًا لزيارتك. فاتورة رقم 12 بإجمالي ٢٠٧٫٠٠ ر.س. شامل الضريبة: https://salon.sa/b/Ab3dE9xZ/invoice",
  );
  assert.equal(
    renderMessage("msg.customer.invoiceIssued", doc("en", { inclVat: false }), "en", URL_),
    "Lamsa Salon: thank you for your visit. Invoice no. 12, total SAR 207.00: https://salon.sa/b/Ab3dE9xZ/invoice",
  );
  const note = (locale: "ar" | "en") =>
    doc(locale, { linkPath: "/b/Ab3dE9xZ/credit-3", documentNumber: 3, invoiceNumber: 12 });
  assert.equal(
    renderMessage("msg.customer.creditNoteIssued", note("en"), "en", URL_),
    "Lamsa Salon: credit note no. 3 for invoice no. 12, SAR 207.00 incl. VAT back to you: https://salon.sa/b/Ab3dE9xZ/credit-3",
  );
  assert.equal(
    renderMessage("msg.customer.creditNoteIssued", note("ar"), "ar", URL_),
    "صالون لمسة: إشعار دائن 3 للفاتورة 12، يُعاد لك ٢٠٧٫٠٠ ر.س. شامل الضريبة: https://salon.sa/b/Ab3dE9xZ/credit-3",
  );
  // A longer salon name, a four-digit number and amount still fit in two segments.
  for (const locale of ["ar", "en"] as const) {
    for (
      const template of ["msg.customer.invoiceIssued", "msg.customer.creditNoteIssued"] as const
    ) {
      const body = renderMessage(
        template,
        doc(locale, {
          salon: locale === "ar" ? "صالون لمسة للتجميل" : "Lamsa Beauty and Care Salon",
          linkPath: "/b/Ab3dE9xZ/credit-1234",
          amountHalalas: 123450,
          documentNumber: 1234,
          invoiceNumber: 1234,
        }),
        locale,
        URL_,
      );
      assert.ok(smsLength(body).segments <= 2, `${locale} ${template}: ${body}`);
    }
  }
});

Deno.test("messages - templates use the same placeholders in both languages", () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const template of TEMPLATES) {
    assert.deepEqual(placeholders(ar[template]), placeholders(en[template]), template);
  }
});

Deno.test("messages - SMS length: GSM-7 basic and extension characters, UCS-2 for anything else", () => {
  assert.deepEqual(smsLength("a".repeat(160)), { encoding: "gsm7", units: 160, segments: 1 });
  assert.deepEqual(smsLength("a".repeat(161)), { encoding: "gsm7", units: 161, segments: 2 });
  assert.deepEqual(smsLength("a".repeat(306)), { encoding: "gsm7", units: 306, segments: 2 });
  assert.deepEqual(smsLength("€[]"), { encoding: "gsm7", units: 6, segments: 1 });
  assert.deepEqual(smsLength("م".repeat(70)), { encoding: "ucs2", units: 70, segments: 1 });
  assert.deepEqual(smsLength("م".repeat(71)), { encoding: "ucs2", units: 71, segments: 2 });
  assert.deepEqual(smsLength("م".repeat(135)), { encoding: "ucs2", units: 135, segments: 3 });
  assert.equal(smsLength("it’s").encoding, "ucs2", "a curly apostrophe forces UCS-2");
  assert.equal(smsSafe("4:30\u202fpm\u200f"), "4:30 pm");
});
