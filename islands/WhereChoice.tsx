import type { ComponentChildren } from "preact";
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";

export interface WhereChoiceProps {
  /** "At my home" is chosen (else "at the salon"). */
  home: boolean;
  salonLabel: string;
  homeLabel: string;
  /** The home visit's fields and terms (server-rendered). */
  children?: ComponentChildren;
}

/**
 * "At the salon / At my home" as two radio buttons (the form field `where`) with the home visit's
 * details under them. Without JavaScript the details are always on show (they count only with
 * "at my home"); hydrated, they are hidden while "at the salon" is chosen.
 */
export default function WhereChoice(props: WhereChoiceProps) {
  const home = useSignal(props.home);
  const hydrated = useSignal(false);
  useEffect(() => {
    hydrated.value = true;
  }, []);
  return (
    <div class="space-y-3">
      <div class="flex flex-wrap gap-x-6 gap-y-2">
        <label class="flex items-center gap-2">
          <input
            type="radio"
            name="where"
            value="salon"
            checked={!home.value}
            onChange={() => (home.value = false)}
          />
          {props.salonLabel}
        </label>
        <label class="flex items-center gap-2">
          <input
            type="radio"
            name="where"
            value="home"
            checked={home.value}
            onChange={() => (home.value = true)}
          />
          {props.homeLabel}
        </label>
      </div>
      <div class="space-y-3" hidden={hydrated.value && !home.value} data-home-details>
        {props.children}
      </div>
    </div>
  );
}
