import assert from "node:assert/strict";
import { cssFor, cssForUncached } from "./twind.ts";

Deno.test("twind - cached CSS equals twind's own extraction, hit or miss, in any order", () => {
  const pages = [
    `<main class="p-4 text-start"><p class="ms-2 hover:text-rose-700">a</p></main>`,
    // The same classes first seen in another order: a different key, its own CSS.
    `<main class="ms-2 hover:text-rose-700"><p class="p-4 text-start">a</p></main>`,
    // A repeat of a value adds nothing: same key as the first page plus one more value.
    `<main class="p-4 text-start"><p class="ms-2 hover:text-rose-700">a</p><p class="p-4 text-start">b</p><b class="font-bold">c</b></main>`,
    `<div class="grid sm:grid-cols-2 gap-4"><span class="rounded-s-lg border-e-2">x</span></div>`,
    `<p>no classes at all</p>`,
    `<p class="">empty</p><p class="not-a-twind-class">unknown</p>`,
    // Text that looks like markup is escaped by Preact and is not a class attribute.
    `<p class="text-sm">&lt;b class="text-9xl"&gt;</p>`,
  ];
  for (let round = 0; round < 3; round++) {
    for (const html of round === 1 ? [...pages].reverse() : pages) {
      assert.equal(cssFor(html), cssForUncached(html), html);
    }
  }
});

Deno.test("twind - pages differing only in repeated class values share one CSS", () => {
  const one = `<ul class="divide-y"><li class="p-2">a</li></ul>`;
  const many =
    `<ul class="divide-y"><li class="p-2">a</li><li class="p-2">b</li><li class="p-2">c</li></ul>`;
  assert.equal(cssFor(one), cssForUncached(many));
  assert.equal(cssFor(many), cssForUncached(one));
});
