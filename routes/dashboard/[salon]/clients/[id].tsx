import { z } from "zod";
import {
  BUTTON,
  CARD,
  DashboardLayout,
  Field,
  PostForm,
  TextArea,
} from "@/components/dashboard/ui.tsx";
import { formatDualDate, formatNumber, formatSar, formatTime } from "@/i18n/format.ts";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import { getClient, parseTags, updateClient } from "@/services/clients/mod.ts";
import { text } from "../../_fields.ts";
import {
  type DashboardContext,
  dashboardContext,
  type FormState,
  layoutOf,
  NO_FORM,
  noticeOf,
  parseForm,
  type RouteAccess,
  submitForm,
} from "../../_guard.ts";

export const access: RouteAccess = "staff";

async function load(c: AppContext, ctx: DashboardContext, form: FormState) {
  const details = await getClient(c.var.deps.db, ctx.actor, ctx.salon.id, c.req.param("id") ?? "");
  return page({
    layout: await layoutOf(c, ctx, "clients"),
    ...details,
    form,
    notice: form.intent ? null : noticeOf(c, ["saved"] as const),
    now: ctx.actor.now,
  }, { title: details.client.name || details.client.phone_e164 });
}

/**
 * `/dashboard/:salon/clients/:id`: one client: visits past and upcoming (services, staff,
 * amounts), no-shows, cancellations, total spent (invoices minus credit notes), last visit; the
 * team's notes and tags, saved by updateClient (audited). Another salon's client → 404.
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "staff"), NO_FORM);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "staff");
    const schema = z.object({ name: text(150), notes: text(4000), tags: text(1000) });
    return await submitForm(c, async (values) => {
      const form = parseForm(schema, values);
      const id = c.req.param("id") ?? "";
      await updateClient(c.var.deps.db, ctx.actor, ctx.salon.id, id, {
        name: form.name,
        notes: form.notes,
        tags: parseTags(form.tags),
      });
      return c.redirect(`${ctx.base}/clients/${id}?notice=saved`, 303);
    }, (form) => load(c, ctx, { ...form, intent: "save" }));
  },
});

export default definePage<typeof handler>(function ClientPage({ data, state }) {
  const { t, fmt, locale } = state;
  const { layout, client } = data;
  const tz = layout.salon.timezone;
  const ar = locale === "ar";
  const stat = (label: string, value: string) => (
    <div class={CARD}>
      <dt class="text-sm text-stone-600">{label}</dt>
      <dd class="text-lg font-semibold">{value}</dd>
    </div>
  );
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      {data.notice && <p role="status" class="text-emerald-800">{t("dash.notice.saved")}</p>}
      <h2 class="text-xl font-semibold">
        {client.name || t("dash.clients.noName")} · <bdi dir="ltr">{client.phone_e164}</bdi>
      </h2>
      <dl class="grid gap-3 sm:grid-cols-5">
        {stat(t("dash.clients.completed"), formatNumber(data.completed, fmt))}
        {stat(t("dash.clients.noShows"), formatNumber(data.noShows, fmt))}
        {stat(t("dash.clients.cancellations"), formatNumber(data.cancellations, fmt))}
        {stat(t("dash.clients.spent"), formatSar(data.totalSpentHalalas, fmt))}
        {stat(
          t("dash.clients.lastVisit"),
          data.lastVisit ? formatDualDate(data.lastVisit, tz, fmt) : "—",
        )}
      </dl>
      <PostForm
        action={`${layout.base}/clients/${client.id}`}
        intent="save"
        state={state}
        form={data.form}
        class={`${CARD} space-y-3`}
      >
        <h3 class="font-semibold">{t("dash.clients.teamOnly")}</h3>
        <Field name="name" label={t("dash.walkIn.name")} form={data.form} value={client.name} />
        <TextArea
          name="notes"
          label={t("dash.clients.notes")}
          form={data.form}
          value={client.notes}
          maxLength={4000}
        />
        <Field
          name="tags"
          label={t("dash.clients.tags")}
          form={data.form}
          value={client.tags.join(", ")}
          hint={t("dash.clients.tagsHint")}
        />
        <button type="submit" class={BUTTON}>{t("dash.clients.save")}</button>
      </PostForm>
      <h3 class="font-semibold">{t("dash.clients.history")}</h3>
      {data.visits.length === 0
        ? <p>{t("dash.clients.noVisits")}</p>
        : (
          <ul class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
            {data.visits.map((v) => (
              <li class="flex flex-wrap gap-3 p-3">
                <a href={`${layout.base}/bookings/${v.id}`} class="underline">
                  {formatDualDate(v.starts_at, tz, fmt)} {formatTime(v.starts_at, tz, fmt)}
                </a>
                <span class="me-auto">
                  {v.items.map((i) =>
                    `${ar ? i.service_ar : i.service_en} (${ar ? i.staff_ar : i.staff_en})`
                  ).join(ar ? "، " : ", ")}
                </span>
                <span>{t(`booking.status.${v.status}` as never)}</span>
                <span>{formatSar(v.price_halalas, fmt)}</span>
              </li>
            ))}
          </ul>
        )}
    </DashboardLayout>
  );
});
