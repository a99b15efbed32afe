import { formatDualDate, formatNumber, formatTime } from "@/i18n/format.ts";
import type { RequestState } from "@/routes/_define.ts";
import type { MessageView } from "@/services/messages/queries.ts";
import type { MessageStatus } from "@/services/messages/types.ts";

const BADGE: Record<MessageStatus, string> = {
  queued: "bg-stone-100 text-stone-800",
  sending: "bg-sky-100 text-sky-800",
  sent: "bg-emerald-100 text-emerald-800",
  failed: "bg-amber-100 text-amber-900",
  dead: "bg-rose-100 text-rose-800",
  cancelled: "bg-stone-100 text-stone-500",
};

const EVENTS = new Set([
  "created",
  "confirmed",
  "cancelled",
  "rescheduled",
  "expired",
  "payment_received",
  "refund_issued",
  "reminder_24h",
  "reminder_2h",
  "invoice_issued",
  "credit_note_issued",
]);

/**
 * Each message of a booking (or the latest ones, /dev/messages) with its status (queued, sending,
 * sent, failed, dead, cancelled), attempts and last error. Server-only; the booking page and the
 * dashboard pass `listMessagesForBooking(db, id)`. `showBody`/`showPhone` for staff views only.
 */
export function MessageStatusList(
  { messages, state, timeZone = "Asia/Riyadh", showBody = false, showPhone = false }: {
    messages: MessageView[];
    state: RequestState;
    timeZone?: string;
    showBody?: boolean;
    showPhone?: boolean;
  },
) {
  const { t, fmt } = state;
  if (messages.length === 0) return <p class="text-stone-600">{t("messages.empty")}</p>;
  const when = (d: Date) => `${formatDualDate(d, timeZone, fmt)} ${formatTime(d, timeZone, fmt)}`;
  return (
    <ul class="space-y-2" aria-label={t("messages.title")}>
      {messages.map((m) => (
        <li class="bg-white rounded-xl shadow p-3 text-sm" data-message-id={m.id}>
          <div class="flex flex-wrap items-center gap-2">
            <span class="font-medium">
              {EVENTS.has(m.event)
                ? t(`messages.event.${m.event}` as Parameters<typeof t>[0])
                : m.event}
            </span>
            <span class="text-stone-600">{t(`messages.role.${m.recipient_role}`)}</span>
            <span class="text-stone-600">{t(`messages.channel.${m.channel}`)}</span>
            {showPhone && m.recipient_deleted && (
              <span class="text-stone-600">{t("dash.customer.deleted")}</span>
            )}
            {showPhone && m.recipient_phone && (
              <span class="text-stone-600" dir="ltr">{m.recipient_phone}</span>
            )}
            <span
              class={`ms-auto rounded-full px-2 py-0.5 ${BADGE[m.status]}`}
              data-status={m.status}
            >
              {t(`messages.status.${m.status}`)}
            </span>
          </div>
          <div class="text-stone-600 mt-1">
            {t("messages.attempts", {
              attempts: formatNumber(m.attempts, fmt),
              max: formatNumber(m.max_attempts, fmt),
            })}
            {t("app.separator")}
            {m.sent_at ? when(m.sent_at) : t("messages.due", { time: when(m.run_at) })}
          </div>
          {m.fallback_of && <div class="text-stone-600">{t("messages.fallback")}</div>}
          {m.last_error && (
            <div class="text-rose-800 break-words" dir="auto">
              {t("messages.lastError", { error: m.last_error })}
            </div>
          )}
          {showBody && m.body && (
            <p class="mt-2 whitespace-pre-wrap" dir="auto" lang={m.locale}>{m.body}</p>
          )}
        </li>
      ))}
    </ul>
  );
}
