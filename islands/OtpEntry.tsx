import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";

type Channel = "sms" | "whatsapp";

export interface OtpEntryProps {
  requestId: string;
  /** E.164, for asking again. */
  phone: string;
  channel: Channel;
  /** Where to go once logged in (a same-site path). */
  next: string;
  /** Seconds until each channel may send again. */
  waits: Record<Channel, number>;
  error?: string;
  /** BCP 47 tag for the countdown's digits, e.g. "ar-SA-u-nu-arab". */
  numberLocale: string;
  text: {
    label: string;
    submit: string;
    checking: string;
    resend: string;
    /** Contains "{seconds}". */
    resendIn: string;
    resent: string;
    legend: string;
    sms: string;
    whatsapp: string;
  };
}

/** Arabic-Indic (U+066x) and Persian (U+06Fx) digits share their low nibble with the value. */
const asciiDigits = (s: string) =>
  s.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) & 15));

function deviceId(): string | undefined {
  try {
    let id = localStorage.getItem("salon.device");
    if (!id) localStorage.setItem("salon.device", id = crypto.randomUUID());
    return id;
  } catch {
    return undefined;
  }
}

async function postJson(url: string, body: unknown) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
  const data = await res.json().catch(() => ({}));
  return { status: res.status, data: data as Record<string, unknown> };
}

/**
 * The login page's code step. Without JavaScript it is two plain forms (code, and "send a new
 * code" with the SMS/WhatsApp switch). Hydrated, it takes the code in one numeric one-time-code
 * field (typed, pasted or autofilled, Latin or Arabic-Indic digits), submits on the sixth digit,
 * counts down until a new code may be sent, and announces errors to screen readers.
 */
export default function OtpEntry(props: OtpEntryProps) {
  const { text } = props;
  const rid = useSignal(props.requestId);
  const channel = useSignal<Channel>(props.channel);
  const error = useSignal(props.error ?? "");
  const status = useSignal("");
  const busy = useSignal(false);
  const live = useSignal(false);
  const now = useSignal(0);
  const until = useSignal<Record<Channel, number>>({ sms: 0, whatsapp: 0 });
  const input = useRef<HTMLInputElement>(null);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    const start = Date.now();
    now.value = start;
    until.value = {
      sms: start + props.waits.sms * 1000,
      whatsapp: start + props.waits.whatsapp * 1000,
    };
    live.value = true;
    const timer = setInterval(() => (now.value = Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const wait = Math.max(0, Math.ceil((until.value[channel.value] - now.value) / 1000));
  const countdown = text.resendIn.replace(
    "{seconds}",
    new Intl.NumberFormat(props.numberLocale).format(wait),
  );

  async function verify() {
    const code = input.current?.value ?? "";
    if (busy.value || code.length !== 6) return;
    busy.value = true;
    status.value = text.checking;
    try {
      const got = await postJson("/api/auth/phone/verify/", { request_id: rid.value, code });
      if (got.status === 200) return location.assign(props.next);
      const data = got.data;
      error.value = String(data.detail ?? "");
      if (input.current) {
        input.current.value = "";
        input.current.focus();
      }
    } catch {
      return form.current?.submit(); // the network failed: let the plain form try
    } finally {
      busy.value = false;
      status.value = "";
    }
  }

  async function resend(event: Event) {
    event.preventDefault();
    if (busy.value || wait > 0) return;
    busy.value = true;
    try {
      const sent = channel.value;
      const { status: code, data } = await postJson("/api/auth/phone/request/", {
        phone_number: props.phone,
        channel: sent,
        device_id: deviceId(),
      });
      const seconds = Number(code === 201 ? data.resend_after_seconds : data.retry_after_seconds);
      if (seconds > 0) until.value = { ...until.value, [sent]: Date.now() + seconds * 1000 };
      now.value = Date.now();
      if (code === 201) {
        rid.value = String(data.request_id);
        error.value = "";
        status.value = text.resent;
        history.replaceState(
          null,
          "",
          `/login?rid=${rid.value}&next=${encodeURIComponent(props.next)}`,
        );
        input.current?.focus();
      } else {
        error.value = String(data.detail ?? "");
      }
    } catch {
      (event.target as HTMLFormElement).submit();
    } finally {
      busy.value = false;
    }
  }

  const field = "w-full rounded-lg border border-stone-300 px-3 py-2";
  return (
    <div class="space-y-6">
      <form
        ref={form}
        method="post"
        action="/login"
        class="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          verify();
        }}
      >
        <input type="hidden" name="action" value="verify" />
        <input type="hidden" name="rid" value={rid.value} />
        <input type="hidden" name="next" value={props.next} />
        <label class="block">
          <span class="block text-sm font-medium mb-1">{text.label}</span>
          <input
            ref={input}
            name="code"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            dir="ltr"
            required
            autoFocus
            aria-invalid={error.value ? "true" : undefined}
            aria-describedby="otp-error"
            class={`${field} text-center text-2xl tracking-[0.5em] font-mono`}
            onInput={(e) => {
              const el = e.currentTarget;
              el.value = asciiDigits(el.value).replace(/\D/g, "").slice(0, 6);
              if (el.value.length === 6) verify();
            }}
          />
        </label>
        <p id="otp-error" role="alert" class="text-sm text-red-700 min-h-[1.25rem]">
          {error.value}
        </p>
        <button
          type="submit"
          disabled={busy.value}
          class="w-full rounded-lg bg-rose-700 text-white font-medium px-6 py-2 hover:bg-rose-800 disabled:opacity-60"
        >
          {busy.value ? text.checking : text.submit}
        </button>
      </form>
      <form method="post" action="/login" class="space-y-3" onSubmit={resend}>
        <input type="hidden" name="action" value="resend" />
        <input type="hidden" name="rid" value={rid.value} />
        <input type="hidden" name="next" value={props.next} />
        <fieldset class="flex flex-wrap items-center gap-4">
          <legend class="text-sm font-medium mb-1">{text.legend}</legend>
          {(["sms", "whatsapp"] as const).map((option) => (
            <label class="inline-flex items-center gap-2">
              <input
                type="radio"
                name="channel"
                value={option}
                checked={channel.value === option}
                onChange={() => (channel.value = option)}
              />
              {text[option]}
            </label>
          ))}
        </fieldset>
        <button
          type="submit"
          disabled={live.value && (busy.value || wait > 0)}
          class="rounded-lg border border-rose-700 text-rose-700 font-medium px-4 py-2 hover:bg-rose-50 disabled:opacity-60 disabled:border-stone-300 disabled:text-stone-500"
        >
          {live.value && wait > 0 ? countdown : text.resend}
        </button>
        <p role="status" class="text-sm text-stone-600">{status.value}</p>
      </form>
    </div>
  );
}
