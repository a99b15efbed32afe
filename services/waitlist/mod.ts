export { joinWaitlist, leaveWaitlist } from "./join.ts";
export type { JoinWaitlistInput } from "./join.ts";
export { createOffer, lapseWaitlist, offerFreedTimes, offerTimeByHand } from "./offer.ts";
export { confirmOffer } from "./confirm.ts";
export { getOffer, listMyWaiting, listWaitlistDay, waitlistFormOptions } from "./queries.ts";
export type { OfferView, WaitlistDayEntry, WaitlistFormOptions } from "./queries.ts";
export * from "./model.ts";
