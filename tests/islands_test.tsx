import assert from "node:assert/strict";
import type { ComponentChildren } from "preact";
import { signal } from "@preact/signals";
import { registerIslands } from "@/runtime/islands.ts";
import { IslandPropsError } from "@/runtime/serialize.ts";
import { renderDocument } from "@/runtime/render.ts";
import { decodeProp } from "@/runtime/serialize.ts";
import type { AssetManifest } from "@/runtime/assets.ts";
import Counter from "./fixtures/islands/Counter.tsx";
import Echo from "./fixtures/islands/Echo.tsx";

registerIslands({ Counter, Echo });

const assets: AssetManifest = {
  buildId: "b1",
  sourceHash: "x",
  boot: "boot-1.js",
  islands: { Counter: "Counter-1.js", Echo: "Echo-1.js" },
  imports: {
    "boot-1.js": ["chunk-1.js"],
    "Counter-1.js": ["chunk-1.js"],
    "Echo-1.js": ["chunk-1.js"],
  },
  files: ["boot-1.js", "Counter-1.js", "Echo-1.js", "chunk-1.js"],
};

function Doc({ children }: { children: ComponentChildren }) {
  return (
    <html lang="ar">
      <head>
        <title>t</title>
      </head>
      <body>{children}</body>
    </html>
  );
}

function render(body: ComponentChildren): string {
  return renderDocument(<Doc>{body}</Doc>, { assets }).html;
}

/** The JSON payload handed to boot(), parsed back. */
function payloadOf(html: string): { props: Record<string, unknown>[]; signals: unknown[] } {
  const match = /boot\(\{[^}]*\},(.*)\);<\/script>/.exec(html);
  assert.ok(match, "no boot call in page");
  return JSON.parse(match[1]);
}

Deno.test("islands - a page without islands has no <script> at all", () => {
  const html = render(<p class="text-rose-700">hello</p>);
  assert.ok(!html.includes("<script"), html);
  assert.ok(!html.includes("modulepreload"));
  assert.match(html, /<style>[^<]*\.text-rose-700\{/);
});

async function sha256Base64(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

Deno.test("islands - the CSP hashes allow exactly the page's inline style and boot script", async () => {
  const { html, scriptHashes, styleHashes } = renderDocument(
    <Doc>
      <Counter label="plus" count={signal(1)} />
    </Doc>,
    { assets },
  );
  const style = /<style>([^<]*)<\/style>/.exec(html)?.[1];
  const script = /<script type="module">(.*?)<\/script>/s.exec(html)?.[1];
  assert.ok(style && script);
  assert.deepEqual(styleHashes, [`'sha256-${await sha256Base64(style)}'`]);
  assert.deepEqual(scriptHashes, [`'sha256-${await sha256Base64(script)}'`]);
  const plain = renderDocument(<Doc>plain</Doc>, { assets });
  assert.deepEqual(plain.scriptHashes, [], "no script, nothing allowed");
});

Deno.test("islands - SSR wraps each island in a marker and imports only the islands present", () => {
  const html = render(
    <main>
      <Counter label="plus" count={signal(3)} />
    </main>,
  );
  assert.match(
    html,
    /<salon-island data-island="Counter" data-props="0"><div class="counter"><button type="button"\s*>plus<\/button><output>3<\/output><\/div><\/salon-island>/,
  );
  assert.equal(html.match(/<script/g)?.length, 1, "exactly one script");
  assert.match(html, /<script type="module">/);
  assert.ok(html.includes('import i0 from "/assets/b1/Counter-1.js"'));
  assert.ok(!html.includes("Echo-1.js"), "an island not on the page is not imported");
  assert.ok(html.includes('<link rel="modulepreload" href="/assets/b1/chunk-1.js">'));
  assert.deepEqual(payloadOf(html), {
    props: [{ label: "plus", count: { $signal: 0 } }],
    signals: [3],
  });
});

Deno.test("islands - hostile strings in props stay inert in the page", async (t) => {
  const hostile = [
    "</script><script>alert(1)</script>",
    "<!--<script>",
    "a\u2028b\u2029c",
    "' onerror=alert(1) '",
    "&lt;b&gt;&amp;",
    "${alert(1)}`",
  ];
  for (const text of hostile) {
    await t.step(JSON.stringify(text), () => {
      const html = render(<Echo text={text} />);
      const script = html.slice(html.indexOf("<script"));
      assert.equal(script.match(/<\/script>/g)?.length, 1, "payload closed the script early");
      assert.ok(!script.includes("<!--"));
      assert.ok(!/[\u2028\u2029]/.test(script));
      assert.equal(payloadOf(html).props[0].text, text, "the prop round-trips exactly");
      assert.ok(!html.includes("<script>alert"), "markup was not escaped in SSR output");
    });
  }
});

Deno.test("islands - user data cannot forge a signal or slot marker", () => {
  const data = { $signal: 0, $slot: 1, nested: { $date: "x", $$x: 2 } };
  const html = render(<Echo text="x" {...{ data } as object} />);
  const encoded = payloadOf(html).props[0];
  const decoded = decodeProp(encoded, {
    signal: () => assert.fail("decoded a forged signal"),
    slot: () => assert.fail("decoded a forged slot"),
  });
  assert.deepEqual((decoded as { data: unknown }).data, data);
});

Deno.test("islands - a signal given to two islands is serialized once and shared", () => {
  const shared = signal(7);
  const html = render(
    <div>
      <Counter label="a" count={shared} />
      <Counter label="b" count={shared} />
    </div>,
  );
  const payload = payloadOf(html);
  assert.deepEqual(payload.signals, [7]);
  assert.deepEqual(payload.props.map((p) => p.count), [{ $signal: 0 }, { $signal: 0 }]);
});

Deno.test("islands - an island rendered inside another island is not marked again", () => {
  const html = render(<Echo text="outer" nested />);
  assert.equal(html.match(/<salon-island/g)?.length, 1);
  assert.match(html, /<button type="button"\s*>inner<\/button>/, "nested island still renders");
  assert.equal(payloadOf(html).props.length, 1);
});

Deno.test("islands - server-rendered children go in a slot, and islands inside them are marked", () => {
  const html = render(
    <Counter label="outer" count={signal(0)}>
      <em>static</em>
      <Echo text="in slot" />
    </Counter>,
  );
  assert.match(
    html,
    /<salon-slot><em>static<\/em><salon-island data-island="Echo" data-props="1">/,
  );
  const payload = payloadOf(html);
  assert.deepEqual(payload.props[0].children, { $slot: 1 });
  assert.equal(payload.props[1].text, "in slot");
});

Deno.test("islands - function, class-instance and circular props fail at render with a clear error", async (t) => {
  await t.step("function", () => {
    assert.throws(
      () => render(<Echo text="x" {...{ onPick: () => {} } as object} />),
      (err: unknown) =>
        err instanceof IslandPropsError && /<Echo> props\.onPick is a function/.test(err.message),
    );
  });
  await t.step("class instance", () => {
    assert.throws(() => render(<Echo text="x" {...{ m: new Map() } as object} />), /is a Map/);
  });
  await t.step("circular", () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    assert.throws(() => render(<Echo text="x" {...{ loop } as object} />), /circular/);
  });
});

Deno.test("islands - a page with islands but no build says how to fix it", () => {
  assert.throws(
    () =>
      renderDocument(
        <Doc>
          <Echo text="x" />
        </Doc>,
        { assets: null },
      ),
    /deno task build/,
  );
});
