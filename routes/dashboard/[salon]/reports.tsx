import type { ComponentChildren } from "preact";
import { ColumnChart, HorizontalBarChart } from "@/components/dashboard/charts.tsx";
import { BUTTON, CARD, DashboardLayout, INPUT } from "@/components/dashboard/ui.tsx";
import { formatGregorianDate, formatNumber, type FormatOptions, formatSar } from "@/i18n/format.ts";
import type { MessageKey, Translator } from "@/i18n/mod.ts";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import { toCsv } from "@/services/dashboard/csv.ts";
import { loadSalonReport, type SalonReport } from "@/services/dashboard/reports.ts";
import { moneyInput } from "../_fields.ts";
import { dashboardContext, layoutOf, type RouteAccess } from "../_guard.ts";
import { dateRangeOf } from "../_range.ts";

/** Money and everyone's figures: managers only. */
export const access: RouteAccess = "manager";

/** The tables the page shows, each downloadable as CSV (`?format=csv&table=`). */
export const REPORT_TABLES = [
  "sales",
  "methods",
  "revenue",
  "status",
  "utilization",
  "services",
  "hours",
] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

/** Each table's section title, also its chart's title. */
const TITLES: Record<ReportTable, MessageKey> = {
  sales: "report.sales",
  methods: "report.methods",
  revenue: "dash.reports.revenue",
  status: "dash.reports.byStatus",
  utilization: "dash.reports.utilization",
  services: "dash.reports.topServices",
  hours: "dash.reports.busiestHours",
};

/** A percentage with the reader's digits and sign ("62.5%", "٦٢٫٥٪"). */
function percent(rate: number, fmt: FormatOptions): string {
  const digits = fmt.digits ?? (fmt.locale === "ar" ? "arab" : "latn");
  const locale = `${fmt.locale === "ar" ? "ar-SA" : "en-GB"}-u-nu-${digits}`;
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(
    rate,
  );
}

/** A rate for a spreadsheet: percent with one decimal, Latin digits ("62.5"). */
const csvPercent = (rate: number | null) => (rate === null ? "" : (rate * 100).toFixed(1));

/** "10:00–11:00" in the reader's digits. */
function hourLabel(hour: number, fmt: FormatOptions): string {
  const hh = (h: number) =>
    `${formatNumber(h, fmt).padStart(2, formatNumber(0, fmt))}:${formatNumber(0, fmt)}${
      formatNumber(0, fmt)
    }`;
  return `${hh(hour)}–${hh(hour + 1)}`;
}

interface Table {
  header: string[];
  /** Cells as shown on the page. */
  rows: ComponentChildren[][];
  /** Cells for the spreadsheet: plain text, Latin digits. */
  csv: (string | number)[][];
  /** Columns holding numbers (aligned to the end). */
  numeric: number[];
}

/** Every table of the report, built once for the page and for CSV. */
function tablesOf(r: SalonReport, t: Translator, fmt: FormatOptions): Record<ReportTable, Table> {
  const ar = fmt.locale === "ar";
  const n = (v: number) => formatNumber(v, fmt);
  const sar = (h: number) => formatSar(h, fmt);
  const docs = [
    [t("report.invoices"), r.sales.invoices],
    [t("report.creditNotes"), r.sales.creditNotes],
    [t("report.netSales"), r.sales.net],
  ] as const;
  const methodLabel = (m: string) => t(`invoice.method.${m as "cash"}`);
  return {
    sales: {
      header: [
        t("dash.reports.item"),
        t("dash.reports.countCol"),
        t("invoice.total"),
        t("report.outputVat"),
        t("invoice.net"),
      ],
      rows: docs.map(([label, d]) => [label, n(d.count), sar(d.total), sar(d.vat), sar(d.net)]),
      csv: docs.map(([label, d]) => [
        label,
        d.count,
        moneyInput(d.total),
        moneyInput(d.vat),
        moneyInput(d.net),
      ]),
      numeric: [1, 2, 3, 4],
    },
    methods: {
      header: [
        t("checkout.method"),
        t("report.invoiced"),
        t("report.credited"),
        t("report.netSales"),
      ],
      rows: r.sales.byMethod.map((m) => [
        methodLabel(m.method),
        sar(m.invoiced),
        sar(m.credited),
        sar(m.net),
      ]),
      csv: r.sales.byMethod.map((m) => [
        methodLabel(m.method),
        moneyInput(m.invoiced),
        moneyInput(m.credited),
        moneyInput(m.net),
      ]),
      numeric: [1, 2, 3],
    },
    revenue: {
      header: [t("dash.reports.item"), t("dash.reports.amount"), t("dash.reports.countCol")],
      rows: [
        [t("dash.reports.collected"), sar(r.revenue.collected), n(r.revenue.payments)],
        [t("dash.reports.refunded"), sar(r.revenue.refunded), ""],
        [t("dash.reports.netOnline"), sar(r.revenue.net), ""],
        [
          t("dash.reports.atSalon"),
          sar(r.revenue.atSalon.halalas),
          n(r.revenue.atSalon.bookings),
        ],
      ],
      csv: [
        [t("dash.reports.collected"), moneyInput(r.revenue.collected), r.revenue.payments],
        [t("dash.reports.refunded"), moneyInput(r.revenue.refunded), ""],
        [t("dash.reports.netOnline"), moneyInput(r.revenue.net), ""],
        [
          t("dash.reports.atSalon"),
          moneyInput(r.revenue.atSalon.halalas),
          r.revenue.atSalon.bookings,
        ],
      ],
      numeric: [1, 2],
    },
    status: {
      header: [t("dash.bookings.status"), t("dash.reports.bookings")],
      rows: r.byStatus.map((s) => [t(`booking.status.${s.status}`), n(s.count)]),
      csv: r.byStatus.map((s) => [t(`booking.status.${s.status}`), s.count]),
      numeric: [1],
    },
    utilization: {
      header: [
        t("dash.csv.staff"),
        t("dash.reports.bookedHours"),
        t("dash.reports.availableHours"),
        t("dash.reports.utilizationCol"),
      ],
      rows: r.utilization.map((u) => [
        ar ? u.name_ar : u.name_en,
        hours(u.bookedMinutes, t, fmt),
        hours(u.availableMinutes, t, fmt),
        u.rate === null ? "—" : percent(u.rate, fmt),
      ]),
      csv: r.utilization.map((u) => [
        ar ? u.name_ar : u.name_en,
        u.bookedMinutes,
        u.availableMinutes,
        csvPercent(u.rate),
      ]),
      numeric: [1, 2, 3],
    },
    services: {
      header: [t("dash.csv.service"), t("dash.reports.bookings"), t("dash.reports.completedValue")],
      rows: r.topServices.map((s) => [
        ar ? s.name_ar : s.name_en,
        n(s.bookings),
        sar(s.completedHalalas),
      ]),
      csv: r.topServices.map((s) => [
        ar ? s.name_ar : s.name_en,
        s.bookings,
        moneyInput(s.completedHalalas),
      ]),
      numeric: [1, 2],
    },
    hours: {
      header: [t("dash.reports.hour"), t("dash.reports.bookings")],
      rows: r.busiestHours.map((h) => [hourLabel(h.hour, fmt), n(h.bookings)]),
      csv: r.busiestHours.map((h) => [
        `${String(h.hour).padStart(2, "0")}:00-${String(h.hour + 1).padStart(2, "0")}:00`,
        h.bookings,
      ]),
      numeric: [1],
    },
  };
}

/** "12 h 30 min" in the reader's words and digits. */
function hours(minutes: number, t: Translator, fmt: FormatOptions): string {
  return t("dash.reports.hoursMinutes", {
    h: formatNumber(Math.floor(minutes / 60), fmt),
    m: formatNumber(minutes % 60, fmt),
  });
}

/** CSV headers name the units (the page shows them in each cell). */
const CSV_HEADERS: Record<ReportTable, MessageKey[]> = {
  sales: [
    "dash.reports.item",
    "dash.reports.countCol",
    "report.totalSar",
    "report.vatSar",
    "report.netSar",
  ],
  methods: ["checkout.method", "report.invoicedSar", "report.creditedSar", "report.netSar"],
  revenue: ["dash.reports.item", "dash.reports.amountSar", "dash.reports.countCol"],
  status: ["dash.bookings.status", "dash.reports.bookings"],
  utilization: [
    "dash.csv.staff",
    "dash.reports.bookedMinutes",
    "dash.reports.availableMinutes",
    "dash.reports.utilizationPercent",
  ],
  services: ["dash.csv.service", "dash.reports.bookings", "dash.reports.completedValueSar"],
  hours: ["dash.reports.hour", "dash.reports.bookings"],
};

async function report(c: AppContext) {
  const ctx = await dashboardContext(c, "manager");
  const range = dateRangeOf(c.req.query(), ctx.salon.timezone, ctx.actor.now);
  const data = await loadSalonReport(c.var.deps.db, ctx.actor, ctx.salon, range);
  return { ctx, data };
}

/**
 * `/dashboard/:salon/reports?from=&to=`: the salon's figures for a range of local dates (default:
 * the last 30 days up to today, in the salon's zone; at most a year): revenue online (paid minus
 * refunded, from the payments ledger) and, apart, what completed bookings left to pay at the salon;
 * bookings by status; the no-show rate; utilization per staff member; top services; busiest hours.
 * Each figure set is an SVG bar chart with a table next to it, and `?format=csv&table=<name>`
 * downloads that table (UTF-8 with a byte order mark, fields escaped against formula injection:
 * services/dashboard/csv.ts). See services/dashboard/reports.ts for how each figure is counted.
 */
export const handler = defineHandlers({
  async GET(c) {
    const { t, fmt } = c.var.state;
    if (c.req.query("format") === "csv") {
      const table = REPORT_TABLES.find((x) => x === c.req.query("table"));
      if (!table) {
        await dashboardContext(c, "manager");
        return c.text(t("dash.reports.noSuchTable"), 400);
      }
      const { ctx, data } = await report(c);
      const csv = tablesOf(data, t, fmt)[table].csv;
      const name = `report-${table}-${ctx.salon.slug}-${data.range.from}-${data.range.to}.csv`;
      return c.body(toCsv(CSV_HEADERS[table].map((k) => t(k)), csv), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${name}"`,
        "cache-control": "no-store",
      });
    }
    const { ctx, data } = await report(c);
    return page({
      layout: await layoutOf(c, ctx, "reports"),
      report: data,
      query: new URLSearchParams({ from: data.range.from, to: data.range.to }).toString(),
      now: ctx.actor.now,
    }, { title: t("dash.nav.reports") });
  },
});

export default definePage<typeof handler>(function ReportsPage({ data, state }) {
  const { t, fmt, locale } = state;
  const { layout, report: r } = data;
  const ar = locale === "ar";
  const tables = tablesOf(r, t, fmt);
  const n = (v: number) => formatNumber(v, fmt);
  const csvHref = (table: ReportTable) =>
    `${layout.base}/reports?${data.query}&format=csv&table=${table}`;
  // A local date as a Gregorian date (noon UTC of that date, written in UTC: the same day).
  const day = (date: string) => formatGregorianDate(new Date(`${date}T12:00:00Z`), "UTC", fmt);
  const range = t("dash.reports.range", { from: day(r.range.from), to: day(r.range.to) });

  const title = (table: ReportTable) => t(TITLES[table]);
  const block = (table: ReportTable, chart: ComponentChildren | null, note?: string) => (
    <section
      aria-labelledby={`report-${table}`}
      class={`${CARD} space-y-3`}
      data-report={table}
    >
      <div class="flex flex-wrap items-center gap-3">
        <h3 id={`report-${table}`} class="me-auto text-lg font-semibold">{title(table)}</h3>
        <a
          href={csvHref(table)}
          class="rounded-full border border-stone-300 bg-white px-3 py-1 text-sm hover:bg-stone-100"
          download
        >
          {t("dash.reports.csv")}
          <span class="sr-only">: {title(table)}</span>
        </a>
      </div>
      {note && <p class="text-sm text-stone-600">{note}</p>}
      <div class={chart ? "grid items-start gap-4 lg:grid-cols-2" : ""}>
        {chart}
        <DataTable
          table={tables[table]}
          caption={title(table)}
          empty={t("dash.reports.empty")}
        />
      </div>
    </section>
  );

  /** A chart's id, title and description: those of its section. */
  const chartName = (table: ReportTable) => ({
    id: `chart-${table}`,
    title: title(table),
    desc: t("dash.reports.chartDesc", { what: title(table), range }),
  });
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      <h2 class="text-xl font-semibold">{t("dash.nav.reports")}</h2>
      <form
        method="get"
        action={`${layout.base}/reports`}
        class="flex flex-wrap items-end gap-3 rounded-xl border border-stone-200 bg-white p-4"
      >
        <label class="block">
          <span class="mb-1 block text-sm font-medium">{t("dash.bookings.from")}</span>
          <input type="date" name="from" value={r.range.from} class={INPUT} />
        </label>
        <label class="block">
          <span class="mb-1 block text-sm font-medium">{t("dash.bookings.to")}</span>
          <input type="date" name="to" value={r.range.to} class={INPUT} />
        </label>
        <button type="submit" class={BUTTON}>{t("dash.show")}</button>
        <p class="w-full text-sm text-stone-600">
          {range}
          {t("app.separator")}
          {t("dash.reports.days", { n: n(r.range.days) })}
        </p>
      </form>

      <dl class="grid grid-cols-2 gap-3 lg:grid-cols-4" data-summary>
        {(
          [
            ["dash.reports.netOnline", formatSar(r.revenue.net, fmt), "net"],
            ["dash.reports.atSalonShort", formatSar(r.revenue.atSalon.halalas, fmt), "at-salon"],
            ["dash.reports.bookings", n(r.bookings), "bookings"],
            [
              "dash.reports.noShowRate",
              r.noShow.rate === null ? "—" : percent(r.noShow.rate, fmt),
              "no-show",
            ],
          ] as const
        ).map(([label, value, key]) => (
          <div class="rounded-xl border border-stone-200 bg-white p-3">
            <dt class="text-xs text-stone-600">{t(label)}</dt>
            <dd class="whitespace-nowrap text-lg font-semibold" data-figure={key}>
              <bdi>{value}</bdi>
            </dd>
          </div>
        ))}
      </dl>

      {block("sales", null, t("report.salesNote"))}
      {block("methods", null, t("report.methodsNote"))}
      {block(
        "revenue",
        null,
        t("dash.reports.revenueNote"),
      )}
      {block(
        "status",
        <HorizontalBarChart
          {...chartName("status")}
          bars={r.byStatus.map((s) => ({
            label: t(`booking.status.${s.status}`),
            value: s.count,
            display: n(s.count),
          }))}
          state={state}
        />,
        r.noShow.rate === null ? undefined : t("dash.reports.noShowNote", {
          rate: percent(r.noShow.rate, fmt),
          noShows: n(r.noShow.noShows),
          total: n(r.noShow.noShows + r.noShow.completed),
        }),
      )}
      {block(
        "utilization",
        r.utilization.length
          ? (
            <HorizontalBarChart
              {...chartName("utilization")}
              bars={r.utilization.map((u) => ({
                label: ar ? u.name_ar : u.name_en,
                value: u.rate ?? 0,
                display: u.rate === null ? "—" : percent(u.rate, fmt),
              }))}
              max={Math.max(1, ...r.utilization.map((u) => u.rate ?? 0))}
              state={state}
            />
          )
          : null,
        t("dash.reports.utilizationNote"),
      )}
      {block(
        "services",
        r.topServices.length
          ? (
            <HorizontalBarChart
              {...chartName("services")}
              bars={r.topServices.map((s) => ({
                label: ar ? s.name_ar : s.name_en,
                value: s.bookings,
                display: n(s.bookings),
              }))}
              state={state}
            />
          )
          : null,
      )}
      {block(
        "hours",
        r.busiestHours.length
          ? (
            <ColumnChart
              {...chartName("hours")}
              columns={r.busiestHours.map((h) => ({
                label: n(h.hour),
                value: h.bookings,
                display: n(h.bookings),
              }))}
              state={state}
            />
          )
          : null,
        t("dash.reports.hoursNote"),
      )}
    </DashboardLayout>
  );
});

function DataTable({ table, caption, empty }: { table: Table; caption: string; empty: string }) {
  if (!table.rows.length) return <p class="text-sm text-stone-600">{empty}</p>;
  return (
    <div class="overflow-x-auto" role="region" aria-label={caption} tabIndex={0}>
      <table class="w-full text-sm">
        <caption class="sr-only">{caption}</caption>
        <thead class="text-stone-600">
          <tr class="border-b border-stone-200">
            {table.header.map((h, i) => (
              <th
                scope="col"
                class={`px-2 py-1 font-medium ${
                  table.numeric.includes(i) ? "text-end" : "text-start"
                }`}
              >
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="divide-y divide-stone-100">
          {table.rows.map((row) => (
            <tr>
              {row.map((cell, i) =>
                i === 0
                  ? (
                    <th scope="row" class="px-2 py-1 text-start font-normal">
                      <bdi>{cell}</bdi>
                    </th>
                  )
                  : (
                    <td
                      class={`whitespace-nowrap px-2 py-1 ${
                        table.numeric.includes(i) ? "text-end" : "text-start"
                      }`}
                    >
                      <bdi>{cell}</bdi>
                    </td>
                  )
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
