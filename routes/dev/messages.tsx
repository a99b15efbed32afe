import { isConsoleProvider, type OtpMessage } from "@/services/auth/otp_providers.ts";
import { NotFoundError } from "@/services/errors.ts";
import { MessageStatusList } from "@/components/MessageStatusList.tsx";
import { listRecentMessages, type MessageView } from "@/services/messages/queries.ts";
import { defineHandlers, definePage, page, type RequestState } from "../_define.ts";

export const title = (state: RequestState) => state.t("dev.messages.title");

/**
 * /dev/messages (development with the console provider only; 404 elsewhere): the codes the console
 * provider "sent", so a newcomer can log in without a phone.
 */
export const handler = defineHandlers<{
  messages: (OtpMessage & { sent_at: string })[];
  /** Booking messages from the outbox (the table every instance shares). */
  outbox: MessageView[];
}>({
  async GET(c) {
    const { config, otp } = c.var.deps;
    if (config.appEnv !== "development" || !isConsoleProvider(otp)) throw new NotFoundError();
    c.header("cache-control", "no-store");
    return page({
      messages: [...otp.recent()],
      outbox: await listRecentMessages(c.var.deps.db, 50),
    });
  },
});

export default definePage<typeof handler>(function DevMessagesPage({ data, state }) {
  const { t } = state;
  return (
    <section class="space-y-4">
      <h1 class="text-2xl font-bold">{t("dev.messages.title")}</h1>
      <p class="text-stone-700">{t("dev.messages.lead")}</p>
      {data.messages.length === 0
        ? <p>{t("dev.messages.empty")}</p>
        : (
          <table class="w-full bg-white rounded-xl shadow text-start">
            <thead>
              <tr class="border-b border-stone-200">
                <th class="p-2 text-start">{t("dev.messages.time")}</th>
                <th class="p-2 text-start">{t("dev.messages.phone")}</th>
                <th class="p-2 text-start">{t("dev.messages.channel")}</th>
                <th class="p-2 text-start">{t("dev.messages.code")}</th>
              </tr>
            </thead>
            <tbody>
              {data.messages.map((m) => (
                <tr class="border-b border-stone-100">
                  <td class="p-2" dir="ltr">{m.sent_at.slice(11, 19)}</td>
                  <td class="p-2" dir="ltr">{m.phone}</td>
                  <td class="p-2">
                    {t(m.channel === "sms" ? "login.channel.sms" : "login.channel.whatsapp")}
                  </td>
                  <td class="p-2 font-mono text-lg" dir="ltr">{m.code}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      <h2 class="text-xl font-bold pt-4">{t("messages.title")}</h2>
      <MessageStatusList messages={data.outbox} state={state} showBody showPhone />
    </section>
  );
});
