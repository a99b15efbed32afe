import type { enHome } from "./en_home.ts";

/** الخدمة المنزلية: صفحة اللوحة وما يراه العملاء. يجب أن تطابق مفاتيحها en_home.ts. */
export const arHome: { readonly [K in keyof typeof enHome]: string } = {
  "dash.nav.home": "الخدمة المنزلية",
  "home.title": "الخدمة المنزلية",
  "home.intro":
    "قدّم خدمات مختارة في منزل العميل. يُحجز وقت تنقّل مقدّم الخدمة قبل كل زيارة منزلية وبعدها.",
  "home.terms": "الشروط",
  "home.travel": "وقت التنقّل في كل اتجاه (بالدقائق)",
  "home.surcharge": "رسوم الزيارة المنزلية (ر.س)",
  "home.radius": "أو أي عنوان ضمن (كم من الصالون، اختياري)",
  "home.districts": "الأحياء المخدومة",
  "home.noDistricts": "لا توجد أحياء بعد.",
  "home.districtAr": "الحي (بالعربية)",
  "home.districtEn": "الحي (بالإنجليزية)",
  "home.addDistrict": "إضافة حي",
  "home.services": "الخدمات المقدّمة في المنزل",
  "home.saveServices": "حفظ الخدمات",
  "home.notice.saved": "حُفظت شروط الخدمة المنزلية.",
  "home.notice.districtAdded": "أُضيف الحي.",
  "home.notice.districtRemoved": "حُذف الحي.",
  "home.notice.servicesSaved": "حُفظت الخدمات.",
  "home.badge": "في المنزل",
  "home.atAddress": "في منزلك",
};
