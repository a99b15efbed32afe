import { z } from "zod";
import OtpEntry from "@/islands/OtpEntry.tsx";
import type { MessageKey } from "@/i18n/mod.ts";
import { requestLoginCode, verifyLoginCode } from "@/services/auth/login.ts";
import { getPendingRequest, resendWaitSeconds } from "@/services/auth/otp.ts";
import { isConsoleProvider, type OtpChannel } from "@/services/auth/otp_providers.ts";
import { formatPhone } from "@/services/auth/phone.ts";
import { AppError, ValidationError } from "@/services/errors.ts";
import { PrivacyAcceptField } from "@/components/PrivacyAcceptField.tsx";
import { PRIVACY_NOTICE_VERSION } from "@/services/privacy/notice.ts";
import { type AppContext, defineHandlers, definePage, page, type RequestState } from "./_define.ts";
import { formValues, validationErrorFrom } from "./_http.ts";
import { clientIp, clientSignals, safeNext, setSessionCookies } from "./_session.ts";
import { authContext, channelField, phoneField } from "./api/auth/_shared.ts";

type FieldErrors = Record<string, string[]>;

type LoginData =
  | {
    step: "phone";
    next: string;
    phone: string;
    channel: OtpChannel;
    errors: FieldErrors;
    notice?: string;
    acceptedPrivacy?: boolean;
  }
  | {
    step: "code";
    next: string;
    requestId: string;
    phone: string;
    channel: OtpChannel;
    waits: Record<OtpChannel, number>;
    error?: string;
    devMessages: boolean;
  };

export const title = (state: RequestState) => state.t("login.title");

function fieldErrors(err: ValidationError, t: RequestState["t"]): FieldErrors {
  return Object.fromEntries(
    Object.entries(err.fields).map(([field, keys]) => [field, keys.map((k) => t(k))]),
  );
}

function loginUrl(requestId: string, next: string): string {
  const params = new URLSearchParams({ rid: requestId });
  if (next !== "/") params.set("next", next);
  return `/login?${params}`;
}

async function codeStep(
  c: AppContext,
  requestId: string,
  next: string,
  error?: string,
): Promise<LoginData | null> {
  const { db, config, otp } = c.var.deps;
  const now = c.var.deps.now();
  const pending = await getPendingRequest(db, requestId, "auth", now);
  if (!pending) return null;
  const [sms, whatsapp] = await Promise.all(
    (["sms", "whatsapp"] as const).map((channel) =>
      resendWaitSeconds(db, config.otp, pending.phone_number, channel, now)
    ),
  );
  return {
    step: "code",
    next,
    requestId: pending.id,
    phone: pending.phone_number,
    channel: pending.channel,
    waits: { sms, whatsapp },
    error,
    devMessages: config.appEnv === "development" && isConsoleProvider(otp),
  };
}

function phoneStep(next: string, init: Partial<Extract<LoginData, { step: "phone" }>> = {}) {
  return {
    step: "phone" as const,
    next,
    phone: init.phone ?? "",
    channel: init.channel ?? "sms",
    errors: init.errors ?? {},
    notice: init.notice,
    acceptedPrivacy: init.acceptedPrivacy ?? false,
  };
}

/** Maps what a service threw to a re-render status and message; anything else is rethrown. */
function failure(err: unknown, t: RequestState["t"]): { status: number; message: string } {
  if (err instanceof AppError && err.status !== 401 && err.status !== 403) {
    return { status: err.status, message: t(err.messageKey, err.params) };
  }
  throw err;
}

const nextField = z.string().max(500).optional();

/**
 * /login: phone step, then code step. Plain forms with 303 redirects, so it works without
 * JavaScript; the OtpEntry island enhances the code step.
 */
export const handler = defineHandlers<LoginData>({
  async GET(c) {
    const state = c.var.state;
    const next = safeNext(c.req.query("next") ?? null);
    if (state.user) return c.redirect(next === "/" ? "/me" : next, 303);
    const rid = c.req.query("rid");
    if (rid) {
      const data = await codeStep(c, rid, next);
      if (data) return page(data);
      return page(phoneStep(next, { notice: state.t("login.code.expired") }));
    }
    return page(phoneStep(next));
  },

  async POST(c) {
    const state = c.var.state;
    const { t } = state;
    const { config, db } = c.var.deps;
    const form = await formValues(c);
    const next = safeNext(form.next);

    if (form.action === "verify") {
      const parsed = z.object({ rid: z.string().max(100), code: z.string().max(40) }).safeParse(
        form,
      );
      const rid = parsed.success ? parsed.data.rid : "";
      try {
        if (!parsed.success) throw new AppError(400, "auth.code.invalid");
        const { tokens } = await verifyLoginCode(authContext(c), {
          requestId: parsed.data.rid,
          code: parsed.data.code,
          userAgent: c.req.header("user-agent"),
          ip: clientIp(c),
        });
        setSessionCookies(c, tokens);
        return c.redirect(next, 303);
      } catch (err) {
        const { status, message } = failure(err, t);
        const data = await codeStep(c, rid, next, message);
        return page(data ?? phoneStep(next, { notice: message }), { status });
      }
    }

    if (form.action === "resend") {
      const parsed = z.object({ rid: z.string().max(100), channel: channelField }).safeParse(form);
      const previous = parsed.success
        ? (await db.query<{ phone_number: string }>(
          `SELECT phone_number FROM otp_requests WHERE id::text = $1 AND purpose = 'auth'`,
          [parsed.data.rid],
        ))[0]
        : undefined;
      if (!parsed.success || !previous) {
        return page(phoneStep(next, { notice: t("login.code.expired") }), { status: 400 });
      }
      try {
        const issued = await requestLoginCode(authContext(c), {
          phone: previous.phone_number,
          channel: parsed.data.channel,
          locale: state.locale,
          client: await clientSignals(c),
        });
        return c.redirect(loginUrl(issued.requestId, next), 303);
      } catch (err) {
        const { status, message } = failure(err, t);
        const data = await codeStep(c, parsed.data.rid, next, message);
        return page(data ?? phoneStep(next, { notice: message }), { status });
      }
    }

    const schema = z.object({
      phone_number: phoneField(config.otp.allowedCountries),
      channel: channelField,
      next: nextField,
      // The privacy notice is accepted on every login from this form: the page cannot know whether
      // the number is new without telling anyone who types it.
      accept_privacy_notice: z.literal("yes", "privacy.notice.required"),
      notice_version: z.literal(PRIVACY_NOTICE_VERSION, "privacy.notice.outdated"),
    });
    const parsed = schema.safeParse(form);
    const channel: OtpChannel = form.channel === "whatsapp" ? "whatsapp" : "sms";
    if (!parsed.success) {
      const errors = fieldErrors(validationErrorFrom(parsed.error), t);
      const acceptedPrivacy = form.accept_privacy_notice === "yes" && !errors.notice_version;
      return page(phoneStep(next, { phone: form.phone_number, channel, errors, acceptedPrivacy }), {
        status: 400,
      });
    }
    try {
      const issued = await requestLoginCode(authContext(c), {
        phone: parsed.data.phone_number,
        channel: parsed.data.channel,
        locale: state.locale,
        client: await clientSignals(c),
        privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
        consentSource: "web",
      });
      return c.redirect(loginUrl(issued.requestId, next), 303);
    } catch (err) {
      const { status, message } = failure(err, t);
      return page(
        phoneStep(next, {
          phone: form.phone_number,
          channel,
          notice: message,
          acceptedPrivacy: true,
        }),
        { status },
      );
    }
  },
});

const FIELD = "w-full rounded-lg border border-stone-300 px-3 py-2";
const PRIMARY = "w-full rounded-lg bg-rose-700 text-white font-medium px-6 py-2 hover:bg-rose-800";

function ErrorList({ id, messages }: { id: string; messages?: string[] }) {
  if (!messages?.length) return null;
  return (
    <p id={id} class="text-sm text-red-700 mt-1">
      {messages.join(" ")}
    </p>
  );
}

export default definePage<typeof handler>(function LoginPage({ data, state }) {
  const { t } = state;
  if (data.step === "code") {
    const channelName = t(`login.channel.${data.channel}` as MessageKey);
    // The number isolated left to right and kept on one line, even in an Arabic sentence.
    const sentTo = t("login.code.sentTo", { channel: channelName }).split("{phone}");
    return (
      <section class="max-w-md mx-auto bg-white rounded-2xl shadow p-6 space-y-4">
        <h1 class="text-2xl font-bold">{t("login.code.title")}</h1>
        <p class="text-stone-700">
          {sentTo[0]}
          <bdi dir="ltr" class="whitespace-nowrap">{formatPhone(data.phone)}</bdi>
          {sentTo[1]}
        </p>
        <OtpEntry
          requestId={data.requestId}
          phone={data.phone}
          channel={data.channel}
          next={data.next}
          waits={data.waits}
          error={data.error}
          numberLocale={`${state.locale === "ar" ? "ar-SA" : "en-GB"}-u-nu-${state.digits}`}
          text={{
            label: t("login.code.label"),
            submit: t("login.code.submit"),
            checking: t("login.code.checking"),
            resend: t("login.code.resend"),
            resendIn: t("login.code.resendIn"),
            resent: t("login.code.resent"),
            legend: t("login.channel.legend"),
            sms: t("login.channel.sms"),
            whatsapp: t("login.channel.whatsapp"),
          }}
        />
        <p class="text-sm">
          <a
            href={data.next === "/" ? "/login" : `/login?next=${encodeURIComponent(data.next)}`}
            class="text-rose-700 underline underline-offset-4"
          >
            {t("login.code.changePhone")}
          </a>
        </p>
        {data.devMessages
          ? (
            <p class="text-xs text-stone-500 border-t border-stone-200 pt-3" lang="en" dir="ltr">
              Development: the code is printed on the server console and listed at{" "}
              <a href="/dev/messages" class="underline">/dev/messages</a>.
            </p>
          )
          : null}
      </section>
    );
  }
  const phoneErrors = data.errors.phone_number;
  return (
    <section class="max-w-md mx-auto bg-white rounded-2xl shadow p-6 space-y-4">
      <h1 class="text-2xl font-bold">{t("login.title")}</h1>
      <p class="text-stone-700">{t("login.lead")}</p>
      {data.notice
        ? <p role="alert" class="rounded-lg bg-amber-50 text-amber-900 px-3 py-2">{data.notice}</p>
        : null}
      <form method="post" action="/login" class="space-y-4" noValidate>
        <input type="hidden" name="action" value="request" />
        <input type="hidden" name="next" value={data.next} />
        <label class="block">
          <span class="block text-sm font-medium mb-1">{t("login.phone.label")}</span>
          <input
            name="phone_number"
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            dir="ltr"
            required
            autoFocus
            value={data.phone}
            placeholder="05X XXX XXXX"
            aria-invalid={phoneErrors ? "true" : undefined}
            aria-describedby={phoneErrors ? "phone-error phone-hint" : "phone-hint"}
            class={`${FIELD} text-start`}
          />
          <span id="phone-hint" class="block text-xs text-stone-500 mt-1">
            {t("login.phone.hint")}
          </span>
          <ErrorList id="phone-error" messages={phoneErrors} />
        </label>
        <fieldset class="flex flex-wrap items-center gap-4">
          <legend class="text-sm font-medium mb-1">{t("login.channel.legend")}</legend>
          {(["sms", "whatsapp"] as const).map((option) => (
            <label class="inline-flex items-center gap-2">
              <input
                type="radio"
                name="channel"
                value={option}
                checked={data.channel === option}
              />
              {t(`login.channel.${option}`)}
            </label>
          ))}
        </fieldset>
        <PrivacyAcceptField
          state={state}
          checked={data.acceptedPrivacy ?? false}
          errors={[
            ...(data.errors.accept_privacy_notice ?? []),
            ...(data.errors.notice_version ?? []),
          ]}
        />
        <button type="submit" class={PRIMARY}>{t("login.send")}</button>
      </form>
    </section>
  );
});
