/**
 * Messages that always arrive: a transactional outbox (rows written in the caller's transaction),
 * a worker that delivers them (SKIP LOCKED claims, leases, backoff, dead letters, WhatsApp → SMS
 * fallback), reminders that follow the booking, and templates in the recipient's language.
 */
export {
  bookingLinkCode,
  cancelReminders,
  enqueueBookingEvent,
  enqueueMessage,
  scheduleReminders,
} from "./enqueue.ts";
export type { BookingEventInput, EnqueueMessageInput } from "./enqueue.ts";
export {
  authenticaMessageProvider,
  consoleMessageProvider,
  createMessageProvider,
  PermanentSendError,
  RetryableSendError,
  SendError,
} from "./providers.ts";
export type { MessageChannelProvider, OutgoingMessage } from "./providers.ts";
export { bookingIdForLink, listMessagesForBooking, listRecentMessages } from "./queries.ts";
export type { MessageView } from "./queries.ts";
export { renderMessage, smsLength } from "./templates.ts";
export { backoffMs, claimMessages, runWorkerOnce, startWorker } from "./worker.ts";
export type { WorkerDeps, WorkerRound } from "./worker.ts";
export type * from "./types.ts";
