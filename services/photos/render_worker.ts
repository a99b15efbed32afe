/// <reference lib="deno.worker" />
/**
 * The worker render_pool.ts starts: renders one image per message, off the request thread, and
 * closes itself after the idle time the pool sends, saying so first so the pool starts a new one.
 */
import { ImageRejected, renderVariants } from "./image.ts";
import type { RenderReply, RenderRequest } from "./render_pool.ts";

let idle: ReturnType<typeof setTimeout> | undefined;

function reply(message: RenderReply, transfer: ArrayBuffer[] = []) {
  self.postMessage(message, transfer);
}

self.onmessage = async (event: MessageEvent<RenderRequest>) => {
  clearTimeout(idle);
  const { id, bytes, widths, idleMs } = event.data;
  try {
    const image = await renderVariants(bytes, widths);
    reply({ id, image }, image.variants.map((v) => v.bytes.buffer as ArrayBuffer));
  } catch (err) {
    const reason = err instanceof ImageRejected ? err.reason : null;
    reply({ id, reason, error: reason ? undefined : String(err) });
  }
  idle = setTimeout(() => {
    reply({ closing: true });
    self.close();
  }, idleMs);
};
