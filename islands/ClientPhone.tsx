import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";

export interface ClientPhoneProps {
  /** `/dashboard/<slug>/clients.json`. */
  endpoint: string;
  name: string;
  id: string;
  label: string;
  hint: string;
  value: string;
  error?: string;
}

interface Match {
  phone: string;
  name: string;
}

/**
 * The new-booking form's phone field: as the front desk types (3 digits or more), the salon's
 * clients whose number matches are offered in a datalist (name and number). Without JavaScript it
 * is a plain phone field, and the booking finds the client by the number on submit all the same.
 */
export default function ClientPhone(props: ClientPhoneProps) {
  const matches = useSignal<Match[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onInput = (e: Event) => {
    const q = (e.target as HTMLInputElement).value;
    clearTimeout(timer.current);
    if (q.replace(/\D/g, "").length < 3 && !/[\u0660-\u0669]{3}/.test(q)) return;
    timer.current = setTimeout(async () => {
      try {
        const res = await fetch(`${props.endpoint}?q=${encodeURIComponent(q)}`, {
          headers: { accept: "application/json" },
        });
        if (res.ok) matches.value = ((await res.json()) as { clients: Match[] }).clients;
      } catch {
        // Offline or signed out: the field still works as a plain phone field.
      }
    }, 200);
  };
  const listId = `${props.id}-clients`;
  return (
    <label class="block">
      <span class="mb-1 block text-sm font-medium">{props.label}</span>
      <input
        type="tel"
        inputMode="tel"
        dir="ltr"
        autoComplete="off"
        required
        name={props.name}
        id={props.id}
        value={props.value}
        list={listId}
        onInput={onInput}
        aria-describedby={`${props.id}-hint`}
        aria-invalid={props.error ? "true" : undefined}
        class="h-10 w-full rounded-lg border border-stone-300 bg-white px-3"
      />
      <datalist id={listId}>
        {matches.value.map((m) => <option value={m.phone} key={m.phone}>{m.name}</option>)}
      </datalist>
      <span id={`${props.id}-hint`} class="mt-1 block text-xs text-stone-600">{props.hint}</span>
      {props.error && <span class="mt-1 block text-sm text-rose-700">{props.error}</span>}
    </label>
  );
}
