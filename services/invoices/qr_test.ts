import assert from "node:assert/strict";
import { decodeZatcaQr, sarAmount, zatcaQrPayload } from "./qr.ts";

Deno.test("zatca qr - TLV bytes: one-byte tag, one-byte UTF-8 length, Arabic names multi-byte", () => {
  const name = "صالون لمسة للتجميل";
  const payload = zatcaQrPayload({
    sellerName: name,
    vatNumber: "310122393500003",
    timestamp: "2026-11-21T09:00:00Z",
    totalHalalas: 23000,
    vatHalalas: 3000,
  });
  const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
  const nameBytes = new TextEncoder().encode(name);
  assert.equal(bytes[0], 1);
  assert.equal(bytes[1], nameBytes.length);
  assert.ok(nameBytes.length > name.length, "Arabic letters take two bytes each");
  assert.deepEqual(bytes.subarray(2, 2 + nameBytes.length), nameBytes);
  const at = 2 + nameBytes.length;
  assert.deepEqual([bytes[at], bytes[at + 1]], [2, 15]);
  const fields = decodeZatcaQr(payload);
  assert.deepEqual([...fields.entries()], [
    [1, name],
    [2, "310122393500003"],
    [3, "2026-11-21T09:00:00Z"],
    [4, "230.00"],
    [5, "30.00"],
  ]);
});

Deno.test("zatca qr - amounts with two decimals", () => {
  assert.equal(sarAmount(0), "0.00");
  assert.equal(sarAmount(5), "0.05");
  assert.equal(sarAmount(123456), "1234.56");
});
