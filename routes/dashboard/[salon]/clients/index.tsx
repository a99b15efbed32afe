import { z } from "zod";
import {
  BUTTON,
  CARD,
  DashboardLayout,
  Field,
  INPUT,
  PostForm,
} from "@/components/dashboard/ui.tsx";
import { FilterLabel } from "@/components/dashboard/lists.tsx";
import { formatDualDate, formatNumber } from "@/i18n/format.ts";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import { createClient, searchClients } from "@/services/clients/mod.ts";
import { contactPhone, text } from "../../_fields.ts";
import {
  type DashboardContext,
  dashboardContext,
  type FormState,
  layoutOf,
  NO_FORM,
  parseForm,
  type RouteAccess,
  submitForm,
} from "../../_guard.ts";

export const access: RouteAccess = "staff";

const PAGE = 50;

async function load(c: AppContext, ctx: DashboardContext, form: FormState) {
  const q = (c.req.query("q") ?? "").slice(0, 80);
  const offset = Math.max(0, Number(c.req.query("page") ?? "1") | 0 || 1) - 1;
  const { rows, more } = await searchClients(c.var.deps.db, ctx.actor, ctx.salon.id, {
    q,
    limit: PAGE,
    offset: offset * PAGE,
  });
  return page({
    layout: await layoutOf(c, ctx, "clients"),
    q,
    rows,
    more,
    pageNo: offset + 1,
    form,
    now: ctx.actor.now,
  }, { title: c.var.state.t("dash.nav.clients") });
}

/**
 * `/dashboard/:salon/clients`: the salon's clients, searched by name or phone (indexed, 50 a
 * page), and the front desk's form to enter a walk-in client (one client per phone number).
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "staff"), NO_FORM);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "staff");
    const schema = z.object({
      phone: contactPhone.refine((v) => v !== null, "validation.required"),
      name: text(150),
    });
    return await submitForm(c, async (values) => {
      const form = parseForm(schema, values);
      const { client } = await createClient(c.var.deps.db, ctx.actor, ctx.salon.id, {
        phone: form.phone!,
        name: form.name,
      });
      return c.redirect(`${ctx.base}/clients/${client.id}`, 303);
    }, (form) => load(c, ctx, { ...form, intent: "create" }));
  },
});

export default definePage<typeof handler>(function ClientsPage({ data, state }) {
  const { t, fmt } = state;
  const { layout } = data;
  const tz = layout.salon.timezone;
  const action = `${layout.base}/clients`;
  const link = (p: number) =>
    `${action}?${new URLSearchParams({ q: data.q, page: String(p) }).toString()}`;
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      <h2 class="text-xl font-semibold">{t("dash.nav.clients")}</h2>
      <form
        method="get"
        action={action}
        role="search"
        class={`${CARD} flex flex-wrap items-end gap-3`}
      >
        <div class="grow">
          <FilterLabel label={t("dash.clients.search")}>
            <input type="search" name="q" value={data.q} maxLength={80} class={INPUT} />
          </FilterLabel>
        </div>
        <button type="submit" class={BUTTON}>{t("home.search.submit")}</button>
      </form>
      <p class="text-sm text-stone-600" aria-live="polite">
        {t("dash.bookings.count", { n: formatNumber(data.rows.length, fmt) })}
      </p>
      {data.rows.length > 0 && (
        <ul class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
          {data.rows.map((r) => (
            <li class="flex flex-wrap items-center gap-3 p-3">
              <a href={`${action}/${r.id}`} class="me-auto font-medium underline">
                {r.name || t("dash.clients.noName")}
              </a>
              <bdi dir="ltr" class="text-sm">{r.phone_e164}</bdi>
              {r.tags.map((tag) => (
                <span class="rounded-full bg-stone-100 px-2 text-xs">{tag}</span>
              ))}
              <span class="text-sm text-stone-600">
                {t("dash.clients.visits", { n: formatNumber(r.visits, fmt) })}
                {r.last_visit && ` · ${formatDualDate(r.last_visit, tz, fmt)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      <nav class="flex gap-3" aria-label={t("dash.clients.pages")}>
        {data.pageNo > 1 && (
          <a class="underline" href={link(data.pageNo - 1)}>{t("dash.clients.prev")}</a>
        )}
        {data.more && (
          <a class="underline" href={link(data.pageNo + 1)}>{t("dash.clients.next")}</a>
        )}
      </nav>
      <PostForm
        action={action}
        intent="create"
        state={state}
        form={data.form}
        class={`${CARD} grid gap-3 sm:grid-cols-3`}
      >
        <h3 class="font-semibold sm:col-span-3">{t("dash.clients.add")}</h3>
        <Field
          name="phone"
          label={t("dash.walkIn.phone")}
          form={data.form}
          type="tel"
          inputMode="tel"
          dir="ltr"
          required
        />
        <Field name="name" label={t("dash.walkIn.name")} form={data.form} />
        <div class="flex items-end">
          <button type="submit" class={BUTTON}>{t("dash.clients.save")}</button>
        </div>
      </PostForm>
    </DashboardLayout>
  );
});
