import { FilterBar, FilterLabel, FilterSelect } from "@/components/dashboard/lists.tsx";
import { personLabel } from "@/components/dashboard/people.ts";
import { BUTTON, DashboardLayout, INPUT } from "@/components/dashboard/ui.tsx";
import { en } from "@/i18n/en.ts";
import { formatGregorianDate, formatNumber, formatTime } from "@/i18n/format.ts";
import type { MessageKey } from "@/i18n/mod.ts";
import { defineHandlers, definePage, page, type RequestState } from "@/routes/_define.ts";
import { auditActors, type AuditRow, listAudit } from "@/services/dashboard/audit.ts";
import { addDays, isIsoDate, localDateOf } from "@/services/slots/load.ts";
import { dashboardContext, layoutOf, type RouteAccess } from "../_guard.ts";
import { isUuid } from "@/services/ids.ts";

export const access: RouteAccess = "manager";

/** The kinds of change the filter offers (entities; exact actions are accepted too). */
const ENTITIES = [
  "booking",
  "user",
  "service",
  "staff",
  "time_off",
  "salon",
  "closure",
  "break",
  "membership",
  "payment",
  "review",
  "photo",
] as const;

/**
 * `/dashboard/:salon/audit?from=&to=&action=&who=&entity_id=`: every change made through the
 * dashboard, newest first: who (and in which role), when (salon's zone), what, and the row before
 * and after. Managers only.
 */
export const handler = defineHandlers({
  async GET(c) {
    const ctx = await dashboardContext(c, "manager");
    const db = c.var.deps.db;
    const q = c.req.query();
    const today = localDateOf(ctx.actor.now, ctx.salon.timezone);
    const from = q.from && isIsoDate(q.from) ? q.from : addDays(today, -30);
    const to = q.to && isIsoDate(q.to) ? q.to : today;
    const action = q.action && /^[a-z_]+(\.[a-z_]+)?$/.test(q.action) ? q.action : "";
    const who = q.who && isUuid(q.who) ? q.who : "";
    const entityId = (q.entity_id ?? "").trim().slice(0, 100);
    const rows = await listAudit(db, ctx.actor, ctx.salon.id, {
      from,
      to,
      action: action || undefined,
      actorUserId: who || undefined,
      entityId: entityId || undefined,
      limit: 300,
    });
    return page({
      layout: await layoutOf(c, ctx, "audit"),
      rows,
      actors: await auditActors(db, ctx.salon.id),
      filter: { from, to, action, who, entityId },
      now: ctx.actor.now,
    }, { title: c.var.state.t("dash.nav.audit") });
  },
});

function label(state: RequestState, key: string): string {
  return Object.hasOwn(en, key) ? state.t(key as MessageKey) : key;
}

/** The fields that changed, before → after (whole rows for creations and removals). */
function changes(row: AuditRow): [string, string, string][] {
  const before = row.before ?? {};
  const after = row.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const show = (v: unknown) => v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
  return keys
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => [k, show(before[k]), show(after[k])]);
}

export default definePage<typeof handler>(function AuditPage({ data, state }) {
  const { t, fmt } = state;
  const { layout, filter } = data;
  const tz = layout.salon.timezone;
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      <h2 class="text-xl font-semibold">{t("dash.nav.audit")}</h2>
      <FilterBar
        action={`${layout.base}/audit`}
        state={state}
        from={filter.from}
        to={filter.to}
        columns="lg:grid-cols-5"
      >
        <FilterSelect
          name="action"
          label={t("dash.audit.what")}
          any={t("dash.audit.everything")}
          options={ENTITIES.map((e) => [e, label(state, `dash.audit.entity.${e}`)] as const)}
          selected={filter.action}
        />
        <FilterSelect
          name="who"
          label={t("dash.audit.who")}
          any={t("dash.audit.anyone")}
          options={data.actors.map((a) =>
            [a.id, personLabel(t, a, "dash.person.deleted")] as const
          )}
          selected={filter.who}
        />
        <FilterLabel label={t("dash.audit.entityId")}>
          <input name="entity_id" value={filter.entityId} dir="ltr" class={INPUT} />
        </FilterLabel>
        <div class="sm:col-span-2 lg:col-span-5">
          <button type="submit" class={BUTTON}>{t("dash.show")}</button>
        </div>
      </FilterBar>
      <p class="text-sm text-stone-600">
        {t("dash.audit.count", { n: formatNumber(data.rows.length, fmt) })}
      </p>
      <ol class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
        {data.rows.map((r) => {
          const diff = changes(r);
          return (
            <li class="space-y-1 px-4 py-3 text-sm" data-audit-action={r.action}>
              <div class="flex flex-wrap items-center gap-x-3 gap-y-1">
                <span class="w-48 shrink-0 text-stone-600">
                  {formatGregorianDate(r.at, tz, fmt)} {formatTime(r.at, tz, fmt)}
                </span>
                <span class="font-semibold">{label(state, `dash.audit.${r.action}`)}</span>
                <span class="me-auto text-stone-700">
                  <bdi>
                    {personLabel(t, {
                      name: r.actor_name,
                      phone: r.actor_phone,
                      deleted: r.actor_deleted,
                    }, "dash.person.deleted") || t("dash.actor.system")}
                  </bdi>
                  {" · "}
                  {label(state, `dash.role.${r.actor_role}`)}
                </span>
                {(r.entity === "booking" || r.entity === "payment") && r.entity_id && (
                  <a
                    href={`${layout.base}/${r.entity}s/${r.entity_id}`}
                    class="text-rose-700 underline"
                  >
                    {t("dash.audit.open")}
                  </a>
                )}
              </div>
              {diff.length > 0 && (
                <details>
                  <summary class="cursor-pointer text-stone-600">
                    {t("dash.audit.changes", { n: formatNumber(diff.length, fmt) })}
                  </summary>
                  <table class="mt-2 w-full table-fixed text-xs">
                    <thead>
                      <tr class="text-start text-stone-600">
                        <th class="w-1/4 text-start font-medium">{t("dash.audit.field")}</th>
                        <th class="text-start font-medium">{t("dash.audit.before")}</th>
                        <th class="text-start font-medium">{t("dash.audit.after")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {diff.map(([k, b, a]) => (
                        <tr class="align-top">
                          <td class="break-all py-1 font-mono" dir="ltr">{k}</td>
                          <td class="break-all py-1 font-mono text-rose-800" dir="auto">{b}</td>
                          <td class="break-all py-1 font-mono text-emerald-800" dir="auto">{a}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </details>
              )}
            </li>
          );
        })}
      </ol>
    </DashboardLayout>
  );
});
