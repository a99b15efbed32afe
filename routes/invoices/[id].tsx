import { formatGregorianDate, formatHijriDate, formatSar, formatTime } from "@/i18n/format.ts";
import type { FormatOptions } from "@/i18n/format.ts";
import { translator } from "@/i18n/mod.ts";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { qrSvg } from "@/services/invoices/qr.ts";
import { getInvoiceFor, type InvoiceDocument } from "@/services/invoices/queries.ts";
import { defineHandlers, definePage, page } from "../_define.ts";

/**
 * `GET /invoices/{id}`: an invoice or credit note, bilingual with Arabic first, for its visit's
 * customer and the salon's team (404 for anyone else). Prints on A4; `?layout=receipt` is the
 * 80 mm receipt. The QR code is drawn here, server-side, as an SVG image.
 */
export const handler = defineHandlers({
  async GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const doc = await getInvoiceFor(c.var.deps.db, state.user, c.req.param("id") ?? "");
    const qr = doc.qr ? await qrSvg(doc.qr) : null;
    c.header("cache-control", "private, no-store");
    return page(
      { doc, qr, receipt: c.req.query("layout") === "receipt" },
      { title: `${doc.kind === "invoice" ? "#" : "CN-"}${doc.number}` },
    );
  },
});

const ar = translator("ar");
const en = translator("en");
type Key = Parameters<typeof ar>[0];

/** "الإجمالي / Total": the Arabic label, then the English one. */
function Both({ k }: { k: Key }) {
  return (
    <>
      <span lang="ar" dir="rtl">{ar(k)}</span>
      <span aria-hidden="true" class="text-stone-400 mx-1">/</span>
      <span lang="en" dir="ltr" class="text-stone-600">{en(k)}</span>
    </>
  );
}

function titleKey(doc: InvoiceDocument): Key {
  if (doc.kind === "credit_note") return "invoice.title.credit";
  return doc.tax_invoice ? "invoice.title.tax" : "invoice.title.plain";
}

export default definePage<typeof handler>(function InvoicePage({ data, state }) {
  const { doc, qr, receipt } = data;
  const fmt: FormatOptions = { ...state.fmt, locale: "ar" };
  const sar = (h: number) => formatSar(h, fmt);
  const tz = doc.salon_timezone;
  const issued = `${formatGregorianDate(doc.issued_at, tz, fmt)} · ${
    formatHijriDate(doc.issued_at, tz, fmt)
  } · ${formatTime(doc.issued_at, tz, fmt)}`;
  const row = (k: Key, value: string, strong = false) => (
    <div class={`flex justify-between gap-4 py-1 ${strong ? "font-bold text-lg" : ""}`}>
      <dt>
        <Both k={k} />
      </dt>
      <dd class="tabular-nums">
        <bdi>{value}</bdi>
      </dd>
    </div>
  );
  return (
    <article
      lang="ar"
      dir="rtl"
      data-receipt={receipt ? "" : undefined}
      class={`bg-white border border-stone-200 rounded-lg p-6 mx-auto text-sm ${
        receipt ? "max-w-[80mm] p-2 text-xs" : "max-w-3xl"
      }`}
    >
      <header class="flex flex-wrap items-start justify-between gap-4 border-b border-stone-200 pb-4">
        <div>
          <h1 class="text-2xl font-bold">
            <Both k={titleKey(doc)} />
          </h1>
          <p class="mt-2 font-semibold">{doc.seller_name_ar}</p>
          {doc.seller_name_en && <p lang="en" dir="ltr">{doc.seller_name_en}</p>}
          <p>{doc.seller_address_ar}</p>
          {doc.seller_vat_number && (
            <p>
              <Both k="invoice.vatNumber" />: <span dir="ltr">{doc.seller_vat_number}</span>
            </p>
          )}
          {doc.seller_cr_number && (
            <p>
              <Both k="invoice.crNumber" />: <span dir="ltr">{doc.seller_cr_number}</span>
            </p>
          )}
        </div>
        {qr && (
          <img
            src={`data:image/svg+xml;base64,${btoa(qr)}`}
            alt={ar("invoice.qrAlt")}
            width={receipt ? 120 : 160}
            height={receipt ? 120 : 160}
          />
        )}
      </header>
      <dl class="grid gap-1 py-4 border-b border-stone-200">
        {row(
          doc.kind === "invoice" ? "invoice.number" : "invoice.creditNumber",
          String(doc.number),
        )}
        {doc.invoice_number !== null && row("invoice.refersTo", String(doc.invoice_number))}
        {row("invoice.issued", issued)}
        {doc.customer_name && row("invoice.customer", doc.customer_name)}
        {doc.reason && row("invoice.reason", doc.reason)}
      </dl>
      {
        /* On a phone the five columns scroll inside the card instead of spilling out of it; the region
          takes focus so the keyboard can scroll it too. */
      }
      <div
        class="my-4 overflow-x-auto"
        role="region"
        tabIndex={0}
        aria-label={`${ar("invoice.lines")} / ${en("invoice.lines")}`}
      >
        <table class="w-full text-start text-sm">
          <thead class="border-b border-stone-300">
            <tr>
              <th scope="col" class="text-start py-1">
                <Both k="invoice.line.service" />
              </th>
              {!receipt && (
                <th scope="col" class="text-start">
                  <Both k="invoice.line.qty" />
                </th>
              )}
              {!receipt && (
                <th scope="col" class="text-start">
                  <Both k="invoice.line.unit" />
                </th>
              )}
              <th scope="col" class="text-start">
                <Both k="invoice.line.vatRate" />
              </th>
              <th scope="col" class="text-end">
                <Both k="invoice.line.total" />
              </th>
            </tr>
          </thead>
          <tbody>
            {doc.lines.map((l) => (
              <tr key={l.position} class="border-b border-stone-100 align-top">
                <td class="py-1">
                  <div>{l.description_ar}</div>
                  <div lang="en" dir="ltr" class="text-stone-600">{l.description_en}</div>
                  {l.staff_name_ar && (
                    <div class="text-stone-600">
                      {ar("invoice.line.staff")}: {l.staff_name_ar}
                    </div>
                  )}
                </td>
                {!receipt && <td class="tabular-nums">{l.quantity}</td>}
                {!receipt && <td class="tabular-nums">{sar(l.unit_price_halalas)}</td>}
                <td class="tabular-nums">{`${l.vat_rate_bp / 100}%`}</td>
                <td class="text-end tabular-nums">{sar(l.total_halalas)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl class="border-t border-stone-200 pt-2">
        {row("invoice.subtotal", sar(doc.subtotal_halalas))}
        {doc.discount_halalas > 0 && row("invoice.discount", `− ${sar(doc.discount_halalas)}`)}
        {doc.discount_reason && doc.discount_halalas > 0 &&
          row("invoice.reason", doc.discount_reason)}
        {row("invoice.net", sar(doc.net_halalas))}
        {row("invoice.vat", sar(doc.vat_halalas))}
        {row("invoice.total", sar(doc.total_halalas), true)}
      </dl>
      {doc.payments.length > 0 && (
        <section class="border-t border-stone-200 mt-2 pt-2">
          <h2 class="font-semibold">
            <Both k="invoice.payments" />
          </h2>
          <dl>
            {doc.payments.map((p) =>
              row(`invoice.method.${p.method}` as Key, sar(p.amount_halalas))
            )}
          </dl>
        </section>
      )}
      {doc.credit_notes.length > 0 && (
        <section class="border-t border-stone-200 mt-2 pt-2" data-noprint="">
          <h2 class="font-semibold">
            <Both k="invoice.creditNotes" />
          </h2>
          <ul>
            {doc.credit_notes.map((n) => (
              <li key={n.id}>
                <a class="underline" href={`/invoices/${n.id}`}>
                  {n.number} · {sar(n.total_halalas)}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <nav class="flex gap-4 mt-6" data-noprint="">
        <a class="underline" href={`/invoices/${doc.id}`}>
          <Both k="invoice.print" />
        </a>
        <a class="underline" href={`/invoices/${doc.id}?layout=receipt`}>
          <Both k="invoice.receipt" />
        </a>
      </nav>
    </article>
  );
});
