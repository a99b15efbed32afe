/// <reference lib="deno.worker" />
/** The worker render_pool.ts starts: renders one image per message, off the request thread. */
import { ImageRejected, renderVariants } from "./image.ts";

self.onmessage = async (
  event: MessageEvent<{ id: number; bytes: Uint8Array; widths: number[] }>,
) => {
  const { id, bytes, widths } = event.data;
  try {
    const image = await renderVariants(bytes, widths);
    self.postMessage(
      { id, image },
      image.variants.map((v) => v.bytes.buffer as ArrayBuffer),
    );
  } catch (err) {
    const reason = err instanceof ImageRejected ? err.reason : null;
    self.postMessage({ id, reason, error: reason ? undefined : String(err) });
  }
};
