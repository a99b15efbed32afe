import type { Locale } from "@/i18n/mod.ts";

/**
 * The privacy notice in force. Changing the notice means a new version (its publication date):
 * everyone is asked to accept it again at their next login, and their consent rows show which
 * version they accepted when.
 */
export const PRIVACY_NOTICE_VERSION = "2026-11-01";

export interface NoticeSection {
  heading: string;
  paragraphs: string[];
  items?: string[];
}

export interface PrivacyNotice {
  title: string;
  summary: string;
  sections: NoticeSection[];
}

/**
 * The notice text. It is a document rather than interface strings, so it lives here as one piece
 * per language instead of as dozens of catalog keys; both languages carry the same sections.
 * Keep it in step with docs/privacy.md.
 */
export const PRIVACY_NOTICE: Readonly<Record<Locale, PrivacyNotice>> = {
  en: {
    title: "Privacy notice",
    summary:
      "We use your mobile number to log you in and to send your booking messages, share your booking with the salon you book, and keep only what we need for as long as we need it. You can download or delete your data at any time from your account.",
    sections: [
      {
        heading: "Who we are",
        paragraphs: [
          "Salon is a booking platform for salons in the Kingdom of Saudi Arabia. We are responsible for the personal data described here under the Personal Data Protection Law (PDPL).",
        ],
      },
      {
        heading: "What we collect and why",
        paragraphs: ["We only collect what the service needs:"],
        items: [
          "Your mobile number: to log you in with a one-time code and to send booking confirmations and reminders by WhatsApp or SMS.",
          "Your name and email, if you give them: so the salon knows who is coming and so we can address you.",
          "Your bookings and payments: to run the appointment, and because the salon must keep financial records.",
          "Your reviews: shown on the salon's page with your first name and the initial of your last name.",
          "Login records (time, network address, device): to protect your account and stop abuse of the code messages.",
        ],
      },
      {
        heading: "Who sees it",
        paragraphs: [
          "The salon you book sees your name, number and booking. Our messaging provider receives your number and the text of each message. Our payment provider (Moyasar) handles your card directly; we never see or store card numbers. We do not sell your data or use it for advertising.",
        ],
      },
      {
        heading: "How long we keep it",
        paragraphs: [
          "Login codes, network addresses and device records: 30 days. The text of messages we sent you: 180 days (we keep only that a message was sent). Bookings and payments: as long as the salon must keep its accounts; if you delete your account they stay without your name, number or email.",
        ],
      },
      {
        heading: "Your rights",
        paragraphs: [
          "From My account → Privacy you can download everything we hold about you as a file, correct your details, and delete your account. Deleting cancels your upcoming bookings and removes your name, number and email at once. You can also contact us to ask about your data or to withdraw your consent; withdrawing consent means deleting the account, as we cannot take bookings without a number.",
        ],
      },
    ],
  },
  ar: {
    title: "إشعار الخصوصية",
    summary:
      "نستخدم رقم جوالك لتسجيل دخولك وإرسال رسائل حجوزاتك، ونشارك حجزك مع الصالون الذي تحجز فيه، ولا نحتفظ إلا بما نحتاج إليه وللمدة التي نحتاجه فيها. يمكنك تنزيل بياناتك أو حذفها في أي وقت من حسابك.",
    sections: [
      {
        heading: "من نحن",
        paragraphs: [
          "«صالون» منصة لحجز مواعيد الصالونات في المملكة العربية السعودية، ونحن المسؤولون عن البيانات الشخصية الموضحة هنا وفق نظام حماية البيانات الشخصية.",
        ],
      },
      {
        heading: "ما نجمعه ولماذا",
        paragraphs: ["لا نجمع إلا ما تحتاجه الخدمة:"],
        items: [
          "رقم جوالك: لتسجيل دخولك برمز لمرة واحدة، ولإرسال تأكيدات الحجز والتذكيرات عبر واتساب أو الرسائل النصية.",
          "اسمك وبريدك الإلكتروني إن أعطيتنا إياهما: ليعرف الصالون من سيحضر ولنخاطبك باسمك.",
          "حجوزاتك ومدفوعاتك: لإتمام الموعد، ولأن الصالون ملزم بالاحتفاظ بسجلاته المالية.",
          "تقييماتك: تظهر في صفحة الصالون باسمك الأول والحرف الأول من اسم عائلتك.",
          "سجلات الدخول (الوقت وعنوان الشبكة والجهاز): لحماية حسابك ومنع إساءة استخدام رسائل الرموز.",
        ],
      },
      {
        heading: "من يطّلع عليها",
        paragraphs: [
          "يرى الصالون الذي تحجز فيه اسمك ورقمك وحجزك. ويتلقى مزوّد الرسائل رقمك ونص كل رسالة. ويتعامل مزوّد الدفع (ميسّر) مع بطاقتك مباشرة، فلا نرى أرقام البطاقات ولا نخزنها. لا نبيع بياناتك ولا نستخدمها للإعلانات.",
        ],
      },
      {
        heading: "مدة الاحتفاظ",
        paragraphs: [
          "رموز الدخول وعناوين الشبكة وسجلات الأجهزة: ٣٠ يومًا. نصوص الرسائل التي أرسلناها إليك: ١٨٠ يومًا (ثم نحتفظ فقط بأن الرسالة أُرسلت). الحجوزات والمدفوعات: ما دام الصالون ملزمًا بحفظ حساباته، وإن حذفت حسابك بقيت دون اسمك أو رقمك أو بريدك.",
        ],
      },
      {
        heading: "حقوقك",
        paragraphs: [
          "من «حسابي ← الخصوصية» يمكنك تنزيل كل ما نحتفظ به عنك في ملف، وتصحيح بياناتك، وحذف حسابك. يؤدي الحذف إلى إلغاء حجوزاتك القادمة وإزالة اسمك ورقمك وبريدك فورًا. ويمكنك التواصل معنا للسؤال عن بياناتك أو لسحب موافقتك؛ وسحب الموافقة يعني حذف الحساب، إذ لا يمكننا قبول الحجوزات دون رقم.",
        ],
      },
    ],
  },
};
