import { definePage, type RequestState } from "./_define.ts";

export const title = (state: RequestState) => state.t("error.notFound.title");

export default definePage(function NotFoundPage({ state: { t } }) {
  return (
    <section class="py-16 text-center">
      <h1 class="text-3xl font-bold mb-4">{t("error.notFound.title")}</h1>
      <p class="text-stone-700 mb-8">{t("error.notFound.body")}</p>
      <a href="/" class="text-rose-700 underline underline-offset-4">{t("error.backHome")}</a>
    </section>
  );
});
