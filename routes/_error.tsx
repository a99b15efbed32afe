import { definePage, type Handlers } from "./_define.ts";

/** Shown for unexpected errors and for typed errors outside /api; `data` is the localized message. */
export default definePage<Handlers<string>>(function ErrorPage({ state: { t }, data }) {
  return (
    <section class="py-16 text-center">
      <h1 class="text-3xl font-bold mb-4">{t("error.server.title")}</h1>
      <p class="text-stone-700 mb-8" role="alert">{data ?? t("error.server.body")}</p>
      <a href="/" class="text-rose-700 underline underline-offset-4">{t("error.backHome")}</a>
    </section>
  );
});
