import { z } from "zod";
import {
  BUTTON,
  DashboardLayout,
  Field,
  FormErrors,
  formFor,
  Notice,
  PostForm,
  RowAction,
  Section,
  SelectField,
} from "@/components/dashboard/ui.tsx";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import { phoneField } from "@/routes/api/auth/_shared.ts";
import { formatPhone } from "@/services/auth/phone.ts";
import { listSalonStaff } from "@/services/dashboard/catalog.ts";
import { inviteMember, listTeam, removeMember } from "@/services/dashboard/team.ts";
import { text } from "../_fields.ts";
import {
  type DashboardContext,
  dashboardContext,
  formPageData,
  type FormState,
  NO_FORM,
  parseForm,
  type RouteAccess,
  submitForm,
} from "../_guard.ts";

export const access: RouteAccess = "manager";

const NOTICES = ["invited", "updated", "removed"] as const;

async function load(c: AppContext, ctx: DashboardContext, form: FormState) {
  const db = c.var.deps.db;
  return page({
    ...await formPageData(c, ctx, "team", form, NOTICES),
    team: await listTeam(db, ctx.actor, ctx.salon.id),
    staff: await listSalonStaff(db, ctx.actor, ctx.salon.id),
    me: ctx.user.id,
  }, { title: c.var.state.t("dash.nav.team") });
}

/**
 * `/dashboard/:salon/team`: who has access. `invite` adds a phone number as manager or staff
 * (creating the account if needed; they log in with the normal code flow) and may link them to a
 * staff row so they see their own bookings; inviting someone already in the team changes their
 * role or link. `remove` takes access away. The last manager stays. Managers only; audited.
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "manager"), NO_FORM);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    const db = c.var.deps.db;
    const here = `${ctx.base}/team`;
    const InviteForm = z.object({
      phone: phoneField(c.var.deps.config.otp.allowedCountries),
      role: z.enum(["manager", "staff"], { error: "validation.invalid" }),
      staff_id: z.union([z.literal(""), z.uuid()], { error: "validation.invalid" }).default(""),
      first_name: text(150),
      language: z.enum(["ar", "en"]).default("ar"),
    });
    return await submitForm(c, async (values) => {
      if (values.intent === "remove") {
        await removeMember(db, ctx.actor, ctx.salon.id, values.user_id ?? "");
        return c.redirect(`${here}?notice=removed`, 303);
      }
      const f = parseForm(InviteForm, values);
      const { joined } = await inviteMember(db, ctx.actor, ctx.salon.id, {
        phone: f.phone,
        role: f.role,
        staffId: f.staff_id || null,
        firstName: f.first_name,
        language: f.language,
      });
      return c.redirect(`${here}?notice=${joined ? "invited" : "updated"}`, 303);
    }, (form) => load(c, ctx, { ...form, intent: form.intent || "invite" }));
  },
});

export default definePage<typeof handler>(function TeamPage({ data, state }) {
  const { t, locale } = state;
  const { layout } = data;
  const ar = locale === "ar";
  const invite = formFor(data.form, "invite");
  const removal = formFor(data.form, "remove");
  const action = `${layout.base}/team`;
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      {data.notice && <Notice>{t(`dash.notice.${data.notice}`)}</Notice>}
      <FormErrors form={removal} />
      <Section title={t("dash.nav.team")} id="team">
        <ul class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
          {data.team.map((m) => (
            <li
              class="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3"
              data-member={m.user_id}
            >
              <span class="me-auto">
                <bdi class="font-medium">{m.name || formatPhone(m.phone_number)}</bdi>
                {m.name && (
                  <span class="ms-2 text-sm text-stone-600" dir="ltr">
                    {formatPhone(m.phone_number)}
                  </span>
                )}
                {m.staff_id && (
                  <span class="block text-sm text-stone-600">
                    {t("dash.team.linkedTo", {
                      name: (ar ? m.staff_name_ar : m.staff_name_en) ?? "",
                    })}
                  </span>
                )}
              </span>
              <span class="rounded-full bg-stone-200 px-3 py-0.5 text-sm">
                {t(`dash.role.${m.role}`)}
              </span>
              {!m.is_phone_verified && (
                <span class="text-sm text-amber-800">{t("dash.team.notLoggedIn")}</span>
              )}
              <RowAction
                action={action}
                intent="remove"
                state={state}
                name="user_id"
                value={m.user_id}
              >
                {m.user_id === data.me ? t("dash.team.leave") : t("dash.team.remove")}
              </RowAction>
            </li>
          ))}
        </ul>
      </Section>
      <Section title={t("dash.team.invite")} id="invite">
        <PostForm
          action={action}
          intent="invite"
          state={state}
          form={invite}
          class="space-y-4 rounded-xl border border-stone-200 bg-white p-4"
        >
          <p class="text-sm text-stone-600">{t("dash.team.inviteHint")}</p>
          <div class="grid gap-3 sm:grid-cols-2">
            <Field
              name="phone"
              label={t("login.phone.label")}
              form={invite}
              type="tel"
              inputMode="tel"
              dir="ltr"
              required
              hint={t("login.phone.hint")}
            />
            <SelectField
              name="role"
              label={t("dash.team.role")}
              form={invite}
              value="staff"
              options={[["staff", t("dash.role.staff")], ["manager", t("dash.role.manager")]]}
            />
            <SelectField
              name="staff_id"
              label={t("dash.team.staffRow")}
              form={invite}
              value=""
              options={[
                ["", t("dash.team.noStaffRow")],
                ...data.staff.filter((s) => s.active).map((s) =>
                  [s.id, ar ? s.name_ar : s.name_en] as const
                ),
              ]}
            />
            <Field
              name="first_name"
              label={t("dash.walkIn.name")}
              form={invite}
              maxLength={150}
              hint={t("dash.walkIn.nameHint")}
            />
            <SelectField
              name="language"
              label={t("me.language")}
              form={invite}
              value="ar"
              options={[["ar", "العربية"], ["en", "English"]]}
            />
          </div>
          <button type="submit" class={BUTTON}>{t("dash.team.inviteButton")}</button>
        </PostForm>
      </Section>
    </DashboardLayout>
  );
});
