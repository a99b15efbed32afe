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

/** Renders the CSS for exactly the classes used in `html` (synchronous: no interleaving across requests). */
export function cssFor(html: string): string {
  return extract(html, tw).css;
}
