/**
 * Text people type (names, reasons, replies, descriptions), as every input schema takes it.
 *
 * The Unicode bidi embedding, override and isolate controls (LRE, RLE, PDF, LRO, RLO:
 * U+202A–U+202E; LRI, RLI, FSI, PDI: U+2066–U+2069) are invisible and change how the text around
 * them is laid out: a name with an RLO in it reads backwards in the agenda, a number reversed. We
 * never need them from a person, so they go at input validation, before trimming and the length
 * and required checks (a name of only such characters is an empty name). The marks LRM, RLM and
 * ALM (U+200E, U+200F, U+061C) stay: they only nudge neutral characters and cannot reorder text.
 */
import { z } from "zod";

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** `text` without bidi embedding, override and isolate controls; everything else kept. */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}

/** Whether `codePoint` is a bidi embedding, override or isolate control. */
export function isBidiControl(codePoint: number): boolean {
  return (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069);
}

/**
 * A zod string for text a person typed: bidi controls stripped first, so `.trim()`, `.min()` and
 * `.max()` chained after it see the text as it will be stored and shown.
 */
export function userText(params?: Parameters<typeof z.string>[0]) {
  return z.string(params).overwrite(stripBidiControls);
}
