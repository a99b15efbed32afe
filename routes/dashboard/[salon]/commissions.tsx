import {
  BUTTON,
  BUTTON_SECONDARY,
  CARD,
  DashboardLayout,
  Field,
  INPUT,
  Notice,
  PostForm,
  Section,
} from "@/components/dashboard/ui.tsx";
import { formatNumber, formatSar } from "@/i18n/format.ts";
import type { MessageKey } from "@/i18n/mod.ts";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import {
  commissionReport,
  type CommissionRow,
  type CommissionTier,
  MAX_TIERS,
  setCommission,
} from "@/services/dashboard/commissions.ts";
import { localDateOf } from "@/services/slots/load.ts";
import { ValidationError } from "@/services/errors.ts";
import { moneyInput, parseMoney } from "../_fields.ts";
import {
  type DashboardContext,
  dashboardContext,
  formPageData,
  type FormState,
  NO_FORM,
  type RouteAccess,
  submitForm,
} from "../_guard.ts";

export const access: RouteAccess = "manager";

const NOTICES = ["saved"] as const;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month asked for (`?month=YYYY-MM`), else the current one in the salon's zone. */
export function monthOf(c: AppContext, ctx: DashboardContext): string {
  const asked = c.req.query("month");
  if (asked !== undefined && !MONTH.test(asked)) {
    throw new ValidationError({ month: ["commission.error.month"] });
  }
  return asked ?? localDateOf(ctx.actor.now, ctx.salon.timezone).slice(0, 7);
}

/**
 * A schedule from the form: `rate_0` for all sales, then `from_<i>` and `rate_<i>` pairs; empty
 * pairs are skipped, an empty first rate removes the commission. Rates are percents with up to two
 * decimals (basis points), thresholds SAR (halalas).
 */
function tiersOf(values: Record<string, string>): CommissionTier[] {
  const fields: Record<string, MessageKey[]> = {};
  const tiers: CommissionTier[] = [];
  for (let i = 0; i < MAX_TIERS; i++) {
    const rate = (values[`rate_${i}`] ?? "").trim();
    const from = i === 0 ? "0" : (values[`from_${i}`] ?? "").trim();
    if (!rate && (i === 0 || !from)) continue;
    const rateBp = parseMoney(rate);
    const fromHalalas = parseMoney(from);
    if (rateBp === null || rateBp > 10000) fields[`rate_${i}`] = ["commission.error.rate"];
    if (fromHalalas === null) fields[`from_${i}`] = ["commission.error.threshold"];
    if (rateBp !== null && fromHalalas !== null) tiers.push({ fromHalalas, rateBp });
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  if (tiers.length > 0 && !(values.rate_0 ?? "").trim()) {
    throw new ValidationError({ rate_0: ["commission.error.rate"] });
  }
  return tiers;
}

async function load(c: AppContext, ctx: DashboardContext, form: FormState) {
  const month = monthOf(c, ctx);
  return page({
    ...await formPageData(c, ctx, "commissions", form, NOTICES),
    report: await commissionReport(c.var.deps.db, ctx.actor, ctx.salon, month),
  }, { title: c.var.state.t("commission.title") });
}

/**
 * `/dashboard/:salon/commissions?month=YYYY-MM`: each staff member's commission for the month
 * from checked-out invoices and credit notes, and their rates (one audited service call per
 * form, then a 303; bad input comes back with localized messages). Managers only.
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "manager"), NO_FORM);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    return await submitForm(c, async (values) => {
      await setCommission(
        c.var.deps.db,
        ctx.actor,
        ctx.salon.id,
        values.staff_id ?? "",
        tiersOf(values),
      );
      const month = monthOf(c, ctx);
      return c.redirect(`${ctx.base}/commissions?month=${month}&notice=saved`, 303);
    }, (form) => load(c, ctx, form));
  },
});

const percent = (bp: number) => (bp / 100).toFixed(bp % 100 === 0 ? 0 : 2);

export default definePage<typeof handler>(function CommissionsPage({ data, state }) {
  const { t, fmt } = state;
  const { layout, report } = data;
  const base = layout.base;
  const name = (r: CommissionRow) => state.locale === "ar" ? r.nameAr : r.nameEn;
  const rateLabel = (tiers: CommissionTier[]) =>
    tiers.length === 0 ? t("commission.none") : tiers.map((tier) =>
      t("commission.tierFrom", {
        rate: formatNumber(Number(percent(tier.rateBp)), fmt),
        from: formatNumber(tier.fromHalalas / 100, fmt),
      })
    ).join(t("app.separator"));
  const cell = "px-3 py-2 text-end tabular-nums";
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      {data.notice && <Notice>{t("commission.saved")}</Notice>}
      <Section
        title={t("commission.title")}
        id="commissions"
        actions={
          <a
            href={`${base}/commissions.csv?month=${report.month}`}
            class={BUTTON_SECONDARY}
            download
          >
            {t("commission.csv")}
          </a>
        }
      >
        <p class="text-sm text-stone-600">{t("commission.intro")}</p>
        <form method="get" action={`${base}/commissions`} class="flex flex-wrap items-end gap-3">
          <label class="block">
            <span class="block text-sm font-medium">{t("commission.month")}</span>
            <input type="month" name="month" value={report.month} class={INPUT} dir="ltr" />
          </label>
          <button type="submit" class={BUTTON_SECONDARY}>{t("commission.show")}</button>
        </form>
        {report.rows.length === 0 ? <p class="text-stone-600">{t("commission.empty")}</p> : (
          <div
            class="overflow-x-auto rounded-xl border border-stone-200 bg-white"
            role="region"
            aria-labelledby="commissions"
            tabIndex={0}
          >
            <table class="w-full text-sm">
              <thead class="bg-stone-50 text-stone-700">
                <tr>
                  <th scope="col" class="px-3 py-2 text-start">{t("commission.staff")}</th>
                  <th scope="col" class={cell}>{t("commission.services")}</th>
                  <th scope="col" class={cell}>{t("commission.sales")}</th>
                  <th scope="col" class={cell}>{t("commission.credited")}</th>
                  <th scope="col" class={cell}>{t("commission.base")}</th>
                  <th scope="col" class="px-3 py-2 text-start">{t("commission.rate")}</th>
                  <th scope="col" class={cell}>{t("commission.amount")}</th>
                </tr>
              </thead>
              <tbody>
                {report.rows.map((r) => (
                  <tr class="border-t border-stone-100">
                    <th scope="row" class="px-3 py-2 text-start font-medium">
                      {name(r)}
                      {!r.active && (
                        <span class="ms-2 text-xs text-stone-500">
                          ({t("commission.inactive")})
                        </span>
                      )}
                    </th>
                    <td class={cell}>{formatNumber(r.services, fmt)}</td>
                    <td class={cell}>{formatSar(r.salesHalalas, fmt)}</td>
                    <td class={cell}>{formatSar(r.creditedHalalas, fmt)}</td>
                    <td class={cell}>{formatSar(r.baseHalalas, fmt)}</td>
                    <td class="px-3 py-2">{rateLabel(r.tiers)}</td>
                    <td class={`${cell} font-semibold`}>{formatSar(r.commissionHalalas, fmt)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot class="border-t border-stone-300 font-semibold">
                <tr>
                  <th scope="row" class="px-3 py-2 text-start">{t("commission.total")}</th>
                  <td class={cell}></td>
                  <td class={cell}>{formatSar(report.totals.salesHalalas, fmt)}</td>
                  <td class={cell}>{formatSar(report.totals.creditedHalalas, fmt)}</td>
                  <td class={cell}></td>
                  <td></td>
                  <td class={cell}>{formatSar(report.totals.commissionHalalas, fmt)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        )}
      </Section>
      <Section title={t("commission.settings")} id="rates">
        <p class="text-sm text-stone-600">
          {t("commission.settingsIntro")} {t("commission.remove")}
        </p>
        <div class="grid gap-4 lg:grid-cols-2">
          {report.rows.filter((r) => r.active).map((r) => {
            const intent = `commission-${r.staffId}`;
            const form = data.form.intent === intent ? data.form : NO_FORM;
            const tiers = [...r.tiers, ...Array(Math.max(0, 3 - r.tiers.length)).fill(null)]
              .slice(0, MAX_TIERS) as (CommissionTier | null)[];
            return (
              <PostForm
                action={`${base}/commissions?month=${report.month}`}
                intent={intent}
                state={state}
                form={form}
                class={`${CARD} space-y-3`}
              >
                <h3 class="font-semibold">{name(r)}</h3>
                <input type="hidden" name="staff_id" value={r.staffId} />
                {tiers.map((tier, i) => (
                  <fieldset class="grid grid-cols-2 gap-3">
                    <legend class="sr-only">{t("commission.tier", { n: String(i + 1) })}</legend>
                    {i === 0
                      ? (
                        <span class="self-end text-sm text-stone-600">
                          {t("commission.tier", { n: "1" })}
                        </span>
                      )
                      : (
                        <Field
                          name={`from_${i}`}
                          id={`f-${r.staffId}-from_${i}`}
                          label={t("commission.fromSar")}
                          form={form}
                          value={tier ? moneyInput(tier.fromHalalas) : ""}
                          inputMode="decimal"
                          dir="ltr"
                        />
                      )}
                    <Field
                      name={`rate_${i}`}
                      id={`f-${r.staffId}-rate_${i}`}
                      label={t("commission.ratePercent")}
                      form={form}
                      value={tier ? percent(tier.rateBp) : ""}
                      inputMode="decimal"
                      dir="ltr"
                    />
                  </fieldset>
                ))}
                <button type="submit" class={BUTTON}>{t("commission.save")}</button>
              </PostForm>
            );
          })}
        </div>
      </Section>
    </DashboardLayout>
  );
});
