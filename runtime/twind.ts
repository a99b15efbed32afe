import {
  type CSSObject,
  defineConfig,
  extract,
  matchTheme,
  type Preset,
  type Rule,
  twind,
  virtual,
} from "@twind/core";
import presetTailwind, { type TailwindTheme } from "@twind/preset-tailwind";

type Section = "margin" | "padding" | "inset" | "borderWidth" | "borderRadius";

/** `pattern` resolves a theme value of `section` into the given logical CSS properties. */
function logical(pattern: string, section: Section, ...properties: string[]): Rule<TailwindTheme> {
  return matchTheme<TailwindTheme>(
    pattern,
    section,
    ({ _ }) => Object.fromEntries(properties.map((property) => [property, String(_)])) as CSSObject,
  );
}

/** Logical (direction-aware) utilities the Tailwind preset lacks, so layouts flip for RTL by themselves. */
const logicalPreset: Preset<TailwindTheme> = {
  rules: [
    logical("-?ms(?:$|-)", "margin", "margin-inline-start"),
    logical("-?me(?:$|-)", "margin", "margin-inline-end"),
    logical("ps(?:$|-)", "padding", "padding-inline-start"),
    logical("pe(?:$|-)", "padding", "padding-inline-end"),
    logical("-?start(?:$|-)", "inset", "inset-inline-start"),
    logical("-?end(?:$|-)", "inset", "inset-inline-end"),
    logical("border-s(?:$|-)", "borderWidth", "border-inline-start-width"),
    logical("border-e(?:$|-)", "borderWidth", "border-inline-end-width"),
    logical(
      "rounded-s(?:$|-)",
      "borderRadius",
      "border-start-start-radius",
      "border-end-start-radius",
    ),
    logical("rounded-e(?:$|-)", "borderRadius", "border-start-end-radius", "border-end-end-radius"),
  ],
};

const config = defineConfig({
  presets: [presetTailwind(), logicalPreset],
  theme: {
    extend: {
      fontFamily: {
        sans: ["'Noto Sans Arabic'", "'Noto Sans'", "system-ui", "Tahoma", "Arial", "sans-serif"],
      },
    },
  },
});

const tw = twind(config, virtual());

/**
 * The CSS twind generates depends only on the class attributes it reads, in first-seen order (a
 * later repeat of a value adds no rule). Pages of one kind reuse a small set, so the CSS is kept by
 * that key: twind's parse-and-generate (most of a page's render time) runs once per distinct set.
 * Preact writes every class attribute as `class="…"` (with `"` escaped), which this matches.
 */
function classKey(html: string): string {
  const seen = new Set<string>();
  for (const match of html.matchAll(/\sclass="([^"]*)"/g)) seen.add(match[1]);
  return [...seen].join("\n");
}

const MAX_CACHED = 500;
const cache = new Map<string, string>();

/** Renders the CSS for exactly the classes used in `html` (synchronous: no interleaving across requests). */
export function cssFor(html: string): string {
  const key = classKey(html);
  let css = cache.get(key);
  if (css === undefined) {
    css = extract(html, tw).css;
    // Oldest first out: a bound for pages whose classes depend on data.
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(key, css);
  }
  return css;
}

/** cssFor without the cache (tests compare the two). */
export function cssForUncached(html: string): string {
  return extract(html, tw).css;
}
