import { useComputed, useSignal } from "@preact/signals";

export interface BasketPickerProps {
  /** The form field the chosen services go in (`s` for the customer, `gs` for a guest). */
  name: string;
  legend: string;
  services: { id: string; label: string; minutes: number; priceHalalas: number }[];
  selected: string[];
  /** "About {duration} · from {price}" in the page's language. */
  totals: string;
  /** "{n} min" / "{n} دقيقة". */
  minutes: string;
  /** BCP 47 tag for numbers and SAR as the page formats them, e.g. "ar-SA-u-nu-arab". */
  numberLocale: string;
}

/**
 * A visit's services as checkboxes (a plain form field without JavaScript) with its total time and
 * price kept up to date as services are ticked.
 */
export default function BasketPicker(props: BasketPickerProps) {
  const chosen = useSignal<string[]>(props.selected);
  const summary = useComputed(() => {
    const picked = props.services.filter((s) => chosen.value.includes(s.id));
    const minutes = picked.reduce((m, s) => m + s.minutes, 0);
    const halalas = picked.reduce((p, s) => p + s.priceHalalas, 0);
    const sar = new Intl.NumberFormat(props.numberLocale, {
      style: "currency",
      currency: "SAR",
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    // Riyals and halalas apart, so no floating-point rounding touches the amount.
    const amount = Math.trunc(halalas / 100) + (halalas % 100) / 100;
    return props.totals
      .replace(
        "{duration}",
        props.minutes.replace("{n}", minutes.toLocaleString(props.numberLocale)),
      )
      .replace("{price}", sar.format(amount));
  });
  const toggle = (id: string, on: boolean) => {
    chosen.value = on ? [...chosen.value, id] : chosen.value.filter((x) => x !== id);
  };
  return (
    <fieldset class="rounded-xl border border-stone-200 bg-white p-4">
      <legend class="px-1 font-semibold">{props.legend}</legend>
      <ul class="grid gap-2 sm:grid-cols-2">
        {props.services.map((s) => (
          <li key={s.id}>
            <label class="flex items-start gap-2">
              <input
                type="checkbox"
                name={props.name}
                value={s.id}
                checked={chosen.value.includes(s.id)}
                onChange={(e) => toggle(s.id, (e.target as HTMLInputElement).checked)}
                class="mt-1"
              />
              <span>{s.label}</span>
            </label>
          </li>
        ))}
      </ul>
      <p class="mt-3 text-sm text-stone-700" aria-live="polite" data-basket-live>
        {summary.value}
      </p>
    </fieldset>
  );
}
