import { definePage } from "./_define.ts";

export default definePage(function HomePage({ state: { t } }) {
  return (
    <>
      <section class="py-10 text-center">
        <h1 class="text-3xl sm:text-4xl font-bold mb-4 text-stone-900">{t("home.title")}</h1>
        <p class="text-lg text-stone-700 max-w-2xl mx-auto mb-8">{t("home.lead")}</p>
        <form
          method="get"
          action="/"
          role="search"
          class="flex flex-col sm:flex-row gap-3 max-w-2xl mx-auto bg-white p-4 rounded-2xl shadow"
        >
          <label class="flex-1 text-start">
            <span class="block text-sm font-medium mb-1">{t("home.search.label")}</span>
            <input
              type="search"
              name="q"
              placeholder={t("home.search.placeholder")}
              class="w-full rounded-lg border border-stone-300 px-3 py-2"
            />
          </label>
          <label class="text-start">
            <span class="block text-sm font-medium mb-1">{t("home.search.city")}</span>
            <select
              name="city"
              class="w-full rounded-lg border border-stone-300 px-3 py-2 bg-white"
            >
              <option value="">{t("home.search.anyCity")}</option>
            </select>
          </label>
          <button
            type="submit"
            class="self-end rounded-lg bg-rose-700 text-white font-medium px-6 py-2 hover:bg-rose-800"
          >
            {t("home.search.submit")}
          </button>
        </form>
      </section>
      <section class="py-8">
        <h2 class="text-xl font-semibold mb-4">{t("home.why.title")}</h2>
        <ul class="grid sm:grid-cols-3 gap-4">
          {(["home.why.instant", "home.why.whatsapp", "home.why.pay"] as const).map((key) => (
            <li class="bg-white rounded-xl p-4 border-s-4 border-rose-600 shadow-sm">{t(key)}</li>
          ))}
        </ul>
      </section>
    </>
  );
});
