import type { RequestState } from "@/routes/_define.ts";
import { PRIVACY_NOTICE, PRIVACY_NOTICE_VERSION } from "@/services/privacy/notice.ts";

/**
 * The login form's privacy notice: its one-paragraph summary, a link to the full text, and the
 * required "I accept" checkbox with the notice version it accepts.
 */
export function PrivacyAcceptField(
  { state, checked, errors }: { state: RequestState; checked: boolean; errors: string[] },
) {
  const { t, locale } = state;
  const [before, after = ""] = t("login.privacy.accept").split("{notice}");
  const invalid = errors.length > 0;
  return (
    <div class="space-y-2 rounded-lg bg-stone-50 border border-stone-200 p-3">
      <input type="hidden" name="notice_version" value={PRIVACY_NOTICE_VERSION} />
      <p id="privacy-summary" class="text-sm text-stone-700">{PRIVACY_NOTICE[locale].summary}</p>
      <label class="flex items-start gap-2">
        <input
          type="checkbox"
          name="accept_privacy_notice"
          value="yes"
          required
          checked={checked}
          aria-invalid={invalid ? "true" : undefined}
          aria-describedby={invalid ? "privacy-error privacy-summary" : "privacy-summary"}
          class="mt-1 h-4 w-4 shrink-0 accent-rose-700"
        />
        <span class="text-sm">
          {before}
          <a
            href="/privacy"
            target="_blank"
            rel="noopener"
            class="text-rose-700 underline underline-offset-4"
          >
            {t("login.privacy.link")}
          </a>
          {after}
        </span>
      </label>
      {invalid ? <p id="privacy-error" class="text-sm text-red-700">{errors.join(" ")}</p> : null}
    </div>
  );
}
