export { joinWaitlist, leaveWaitlist } from "./join.ts";
export type { JoinWaitlistInput } from "./join.ts";
export { createOffer, lapseWaitlist, offerFreedTimes, offerTimeByHand } from "./offer.ts";
export { confirmOffer } from "./confirm.ts";
export { getOffer, listMyWaiting, listWaitlistDay } from "./queries.ts";
export type { OfferView, WaitlistDayEntry } from "./queries.ts";
export * from "./model.ts";
