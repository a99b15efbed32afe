import { z } from "zod";
import { COUNTER_METHODS } from "@/services/invoices/issue.ts";

const uuid = z.uuid("validation.invalid");
const halalas = z.number({ error: "checkout.error.amount" }).int({ error: "checkout.error.amount" })
  .min(0, { error: "checkout.error.amount" }).max(100_000_000, { error: "checkout.error.amount" });
const method = z.enum(COUNTER_METHODS, { error: "checkout.error.method" });

/** `POST /api/salons/{slug}/bookings/{id}/checkout/`. */
export const CheckoutBody = z.object({
  items: z.array(z.union([
    z.object({ id: uuid, remove: z.boolean().optional(), staff: uuid.optional() }),
    z.object({ service: uuid, staff: uuid }),
  ], { error: "checkout.error.item" })).max(40).optional(),
  discount: z.object({
    amount_halalas: halalas.optional(),
    percent: z.number({ error: "checkout.error.discount" }).min(0).max(100).optional(),
    reason: z.string().max(300).default(""),
  }).optional(),
  payments: z.array(z.object({ method, amount_halalas: halalas })).max(10).default([]),
});

/** `POST /api/invoices/{id}/credit-notes/`. */
export const CreditNoteBody = z.object({
  lines: z.array(z.number().int().min(0).max(100)).min(1, { error: "credit.error.line" }).max(100),
  refunds: z.array(z.object({
    method: z.enum([...COUNTER_METHODS, "online"], { error: "checkout.error.method" }),
    amount_halalas: halalas,
  })).max(10),
  reason: z.string().max(300),
});
