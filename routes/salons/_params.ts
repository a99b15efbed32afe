/** Query-string schemas shared by the salon pages and the salon JSON API. */
import { z } from "zod";
import type { MessageKey } from "@/i18n/mod.ts";
import { validationErrorFrom } from "@/routes/_http.ts";
import type { AppContext } from "@/routes/_define.ts";
import { isIsoDate } from "@/services/slots/load.ts";
import { isUuid } from "@/services/ids.ts";

/** A missing value reads "required"; a present but bad one reads `key`. */
const keyed = (key: MessageKey) => (issue: { input: unknown }) =>
  issue.input === undefined ? "validation.required" : key;

export const uuid = (key: MessageKey) =>
  z.string({ error: keyed(key) }).refine(isUuid, { error: key });

export const isoDate = z.string({ error: keyed("slots.error.date") }).refine(isIsoDate, {
  error: "slots.error.date",
});

export const staffChoice = z.union([z.literal("any"), uuid("slots.error.staff")], {
  error: "slots.error.staff",
});

/** `home=1`: times for a visit at the customer's home (the staff member's travel blocked). */
const homeFlag = z.enum(["0", "1"], { error: "validation.invalid" }).optional()
  .transform((v) => v === "1");

export const SlotsQuery = z.object({
  service: uuid("slots.error.service"),
  home: homeFlag,
  staff: staffChoice.default("any"),
  date: isoDate.optional(),
  days: z.string().regex(/^(?:[1-9]|1[0-4])$/, { error: "slots.error.days14" }).default("1")
    .transform(Number),
});

const uuidList = (error: Parameters<typeof uuid>[0]) =>
  z.string().max(2000).transform((v) => v.split(",")).pipe(z.array(uuid(error)).min(1).max(20));

/** A visit's slots: services in order, one staff choice for all or one per service, guests. */
export const VisitSlotsQuery = z.object({
  services: uuidList("slots.error.service"),
  staff: z.string().max(2000).default("any").transform((v) => v.split(",")).pipe(
    z.array(staffChoice).min(1).max(20),
  ),
  home: homeFlag,
  guests: z.string().max(100).regex(/^\d(?:,\d)*$/, { error: "visit.error.guest" })
    .transform((v) => v.split(",").map(Number)).optional(),
  date: isoDate.optional(),
  days: z.string().regex(/^(?:[1-9]|1[0-4])$/, { error: "slots.error.days14" }).default("1")
    .transform(Number),
}).refine((q) => q.staff.length === 1 || q.staff.length === q.services.length, {
  error: "visit.error.staffPerService",
  path: ["staff"],
}).refine((q) => !q.guests || q.guests.length === q.services.length, {
  error: "visit.error.guest",
  path: ["guests"],
});

/** Parses `c.req.query()` with `schema`; failures become a localized 400 (ValidationError). */
export function readQuery<S extends z.ZodType>(
  c: AppContext,
  schema: S,
  input: Record<string, string | undefined> = c.req.query(),
): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationErrorFrom(parsed.error);
  return parsed.data;
}
