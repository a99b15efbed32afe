import { log } from "@/log.ts";
import { AppError } from "@/services/errors.ts";
import {
  receiveWebhook,
  WebhookEventSchema,
  webhookSecretMatches,
} from "@/services/payments/mod.ts";
import { defineHandlers } from "../../_define.ts";
import { readJson } from "../../_http.ts";

/**
 * Moyasar's webhook. A wrong `secret_token` → 401 and nothing is stored; a known event id → 200
 * and nothing happens again; an event for a payment we do not know → 200 and a log line. The
 * payment is fetched from Moyasar (with a timeout) and applied before answering; when Moyasar
 * cannot be reached the event is kept and reconciliation finishes it: the answer is still 200.
 */
export const handler = defineHandlers({
  async POST(c) {
    const { deps } = c.var;
    const event = await readJson(c, WebhookEventSchema);
    if (!webhookSecretMatches(event.secret_token, deps.config.payments.webhookSecret)) {
      log.warn("payments.webhook_bad_secret", { event_id: event.id, type: event.type });
      throw new AppError(401, "payments.error.webhookSecret");
    }
    const outcome = await receiveWebhook(deps.db, deps.payments ?? null, event, deps.now());
    return c.json({ received: true, outcome });
  },
});
