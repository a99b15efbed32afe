export { checkoutUrlFor, startPayment } from "./create.ts";
export { MIN_AMOUNT_HALALAS } from "./model.ts";
export type { StartPaymentInput, StartPaymentResult } from "./create.ts";
export { applyObservation } from "./apply.ts";
export type { ApplyResult } from "./apply.ts";
export {
  capturePayment,
  executeAction,
  queueAutomaticRefunds,
  refundPayment,
  runPaymentActions,
  voidPayment,
} from "./actions.ts";
export type { ActionResult } from "./actions.ts";
export { refreshPayment } from "./observe.ts";
export { reconcilePayments } from "./reconcile.ts";
export type { ReconcileReport } from "./reconcile.ts";
export { receiveWebhook, WebhookEventSchema, webhookSecretMatches } from "./webhook.ts";
export { getBookingPayments } from "./queries.ts";
export type { BookingPayments } from "./queries.ts";
export { startPaymentJobs } from "./run.ts";
export { createMoyasarClient, moyasarClient, MoyasarError } from "./moyasar.ts";
export type { MoyasarClient } from "./moyasar.ts";
export * from "./model.ts";
export { handlePaymentReturn, RETURN_NOTICES } from "./callback.ts";
export type { ReturnNotice } from "./callback.ts";
