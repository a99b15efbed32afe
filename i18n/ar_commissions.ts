import type { enCommissions } from "./en_commissions.ts";

/** عمولات الفريق. */
export const arCommissions: Record<keyof typeof enCommissions, string> = {
  "dash.nav.commissions": "العمولات",
  "commission.title": "العمولات",
  "commission.intro":
    "حصة كل موظف من الخدمات التي قدّمها: بنود الفواتير بعد الخصم ومن دون ضريبة القيمة المضافة، مطروحًا منها ما أعادته إشعارات الدائن في الشهر نفسه.",
  "commission.month": "الشهر",
  "commission.show": "عرض",
  "commission.csv": "تنزيل CSV",
  "commission.staff": "الموظف",
  "commission.services": "الخدمات",
  "commission.sales": "المبيعات (دون الضريبة)",
  "commission.credited": "المُعاد",
  "commission.base": "المحتسب",
  "commission.rate": "النسبة",
  "commission.amount": "العمولة",
  "commission.total": "الإجمالي",
  "commission.none": "بلا نسبة",
  "commission.inactive": "لم يعد نشطًا",
  "commission.tierFrom": "{rate}٪ من {from} ر.س",
  "commission.settings": "النسب",
  "commission.settingsIntro":
    "نسبة على كل المبيعات، ويمكن إضافة نسب أعلى (أو أقل) على مبيعات الشهر فوق حدّ معيّن، كلٌّ على الجزء الذي يتجاوزه.",
  "commission.ratePercent": "النسبة (٪)",
  "commission.fromSar": "على المبيعات فوق (ر.س)",
  "commission.tier": "الشريحة {n}",
  "commission.save": "حفظ النسب",
  "commission.remove": "اترك الحقل فارغًا لإلغاء النسبة.",
  "commission.saved": "حُفظت النسب.",
  "commission.empty": "لا يوجد موظف له نسبة أو قدّم خدمة هذا الشهر.",
  "commission.error.tiers": "أدخل من شريحة واحدة إلى خمس شرائح.",
  "commission.error.rate": "النسبة رقم من 0 إلى 100 بمنزلتين عشريتين على الأكثر.",
  "commission.error.threshold": "يجب أن يكون كل حدّ أعلى من الذي قبله.",
  "commission.error.month": "اختر شهرًا (YYYY-MM).",
};
