/** Home service: the dashboard page and what customers see. `ar_home.ts` has the same keys. */
export const enHome = {
  "dash.nav.home": "Home service",
  "home.title": "Home service",
  "home.intro":
    "Offer chosen services at the customer's home. The staff member's travel time is blocked before and after each home visit.",
  "home.terms": "Terms",
  "home.travel": "Travel time each way (minutes)",
  "home.surcharge": "Home visit surcharge (SAR)",
  "home.radius": "Or any address within (km of the salon, optional)",
  "home.districts": "Districts served",
  "home.noDistricts": "No districts yet.",
  "home.districtAr": "District (Arabic)",
  "home.districtEn": "District (English)",
  "home.addDistrict": "Add district",
  "home.services": "Services offered at home",
  "home.saveServices": "Save services",
  "home.notice.saved": "Home service terms saved.",
  "home.notice.districtAdded": "District added.",
  "home.notice.districtRemoved": "District removed.",
  "home.notice.servicesSaved": "Services saved.",
  "home.badge": "At home",
  "home.atAddress": "At your home",
} as const;
