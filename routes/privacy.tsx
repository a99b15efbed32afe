import { defineHandlers, definePage, page } from "./_define.ts";
import { PRIVACY_NOTICE, PRIVACY_NOTICE_VERSION } from "@/services/privacy/notice.ts";
import { noticeVersionLabel } from "@/components/reviews.tsx";

/** /privacy: the privacy notice in the reader's language, with its version. */
export const handler = defineHandlers({
  GET(c) {
    const notice = PRIVACY_NOTICE[c.var.state.locale];
    return page({ notice }, { title: notice.title, head: { indexable: true } });
  },
});

export default definePage<typeof handler>(function PrivacyPage({ data, state }) {
  const { notice } = data;
  const { t } = state;
  return (
    <article class="max-w-3xl mx-auto bg-white rounded-2xl shadow p-6 sm:p-8 space-y-6">
      <header class="space-y-2">
        <h1 class="text-2xl font-bold">{notice.title}</h1>
        <p class="text-sm text-stone-600">
          {t("privacy.version", { version: noticeVersionLabel(PRIVACY_NOTICE_VERSION, state) })}
          <span class="sr-only">({PRIVACY_NOTICE_VERSION})</span>
        </p>
        <p class="text-lg text-stone-800 leading-relaxed">{notice.summary}</p>
      </header>
      {notice.sections.map((section) => (
        <section class="space-y-2">
          <h2 class="text-lg font-semibold">{section.heading}</h2>
          {section.paragraphs.map((p) => <p key={p} class="text-stone-800 leading-relaxed">{p}</p>)}
          {section.items && (
            <ul class="list-disc ps-6 space-y-1 text-stone-800">
              {section.items.map((item) => <li key={item}>{item}</li>)}
            </ul>
          )}
        </section>
      ))}
      <p class="border-t border-stone-200 pt-4 text-sm">
        <a href="/me/privacy" class="text-rose-700 underline underline-offset-4">
          {t("privacy.manage")}
        </a>
      </p>
    </article>
  );
});
