import { formatDualDate, formatTime } from "@/i18n/format.ts";
import type { RequestState } from "@/routes/_define.ts";
import type { MessageView } from "@/services/messages/queries.ts";

type Reminder = "reminder_24h" | "reminder_2h";
const STILL_TO_COME = new Set(["queued", "sending", "failed"]);

/**
 * The customer's view of a booking's messages, in plain words: which reminders are still to come
 * and on which channel, then what was sent and when. Delivery internals (attempts, retries,
 * errors) are for the salon's and the developer's pages.
 */
export function CustomerMessages(
  { messages, state, timeZone, active }: {
    messages: MessageView[];
    state: RequestState;
    timeZone: string;
    active: boolean;
  },
) {
  const { t, fmt } = state;
  const coming = active
    ? messages.filter((m) => m.kind === "reminder" && STILL_TO_COME.has(m.status))
    : [];
  const has = (event: Reminder) => coming.some((m) => m.event === event);
  const channel = t(`messages.channel.${coming[0]?.channel ?? "whatsapp"}`);
  const plan = has("reminder_24h") && has("reminder_2h")
    ? t("messages.plan.both", { channel })
    : has("reminder_24h")
    ? t("messages.plan.24h", { channel })
    : has("reminder_2h")
    ? t("messages.plan.2h", { channel })
    : null;
  const sent = messages.filter((m) => m.status === "sent" && m.sent_at);
  const when = (d: Date) => `${formatDualDate(d, timeZone, fmt)} ${formatTime(d, timeZone, fmt)}`;
  return (
    <div class="space-y-2">
      {plan && <p>{plan}</p>}
      {sent.length === 0
        ? (!plan && <p class="text-stone-600">{t("messages.empty")}</p>)
        : (
          <ul class="space-y-1 text-sm" aria-label={t("messages.sentList")}>
            {sent.map((m) => (
              <li>
                {t(`messages.event.${m.event}` as Parameters<typeof t>[0])}
                {t("app.separator")}
                {t(`messages.channel.${m.channel}`)}
                {t("app.separator")}
                {when(m.sent_at!)}
              </li>
            ))}
          </ul>
        )}
    </div>
  );
}
