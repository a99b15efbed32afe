import assert from "node:assert/strict";
import { isBidiControl, stripBidiControls, userText } from "./text.ts";

const CONTROLS = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];

Deno.test("text - the nine bidi embedding, override and isolate controls go, one by one and together", () => {
  for (const cp of CONTROLS) {
    const c = String.fromCodePoint(cp);
    assert.ok(isBidiControl(cp));
    assert.equal(stripBidiControls(`a${c}b${c}`), "ab", cp.toString(16));
  }
  assert.equal(stripBidiControls(String.fromCodePoint(...CONTROLS)), "");
});

Deno.test("text - Arabic, English, digits, emoji, newlines and the LRM/RLM/ALM marks stay", () => {
  const kept = "سارة Sara ٠١٢ 012\n👩🏽‍🦱 💇‍♀️\u200E\u200F\u061C\r\n\ttab\u00A0\u200D";
  assert.equal(stripBidiControls(kept), kept);
  for (const cp of [0x200e, 0x200f, 0x061c, 0x200d, 0x2028, 0x2065, 0x2070, 0x2029, 0x202f]) {
    assert.ok(!isBidiControl(cp), cp.toString(16));
  }
});

Deno.test("text - userText strips before trim, min and max see the text", () => {
  const name = userText().trim().min(1, "validation.required").max(5, "validation.tooLong");
  assert.equal(name.parse(" \u202Eنورة\u202C "), "نورة");
  assert.equal(name.parse("\u2066abcde\u2069"), "abcde", "the controls do not count");
  const empty = name.safeParse(" \u202E\u2066\u2069 ");
  assert.equal(empty.success, false);
  assert.deepEqual(empty.error?.issues.map((i) => i.message), ["validation.required"]);
});
