/**
 * Renders images one at a time in a Web Worker, so decoding and encoding (hundreds of milliseconds
 * per photo) never block the thread that serves requests, and an instance spends at most one core
 * on photos however many uploads arrive. The worker starts with the first image and stays warm
 * (loading libvips' WebAssembly takes seconds, longer than a photo) until it has been idle for
 * IDLE_MS; then it says so and closes itself, and its memory goes with it. Where workers are
 * unavailable, images are rendered on this thread, still one at a time.
 */
import { ImageRejected, type ImageRejection, type RenderedImage, renderVariants } from "./image.ts";

type Job = {
  bytes: Uint8Array;
  widths: readonly number[];
  resolve: (image: RenderedImage) => void;
  reject: (err: unknown) => void;
};

export type RenderReply =
  | { id: number; image?: RenderedImage; reason?: ImageRejection | null; error?: string }
  | { closing: true };

export type RenderRequest = { id: number; bytes: Uint8Array; widths: number[]; idleMs: number };

/** The longest one image may take before its worker is given up on. */
const JOB_TIMEOUT_MS = 120_000;
/** How long the worker waits for another image before it closes itself. */
const IDLE_MS = 20_000;

// The Web Worker constructor, kept before anything can replace it: Emscripten modules loaded on
// this thread (wasm-vips, in the fallback) install Node's worker_threads Worker as a global.
const WebWorker = globalThis.Worker;

const queue: Job[] = [];
let running = false;
let warm: Worker | null = null;
let nextId = 0;

/** The job was sent to a worker that had already decided to close: it goes to a new one. */
class WorkerClosed extends Error {}

function startWorker(): Worker | null {
  try {
    const worker = new WebWorker(new URL("./render_worker.ts", import.meta.url), {
      type: "module",
    });
    worker.onmessage = ({ data }: MessageEvent<RenderReply>) => {
      if ("closing" in data && warm === worker) warm = null;
    };
    return worker;
  } catch {
    return null;
  }
}

function inWorker(worker: Worker, job: Job): Promise<RenderedImage> {
  const id = ++nextId;
  return new Promise<RenderedImage>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("image rendering timed out")),
      JOB_TIMEOUT_MS,
    );
    worker.onmessage = ({ data }: MessageEvent<RenderReply>) => {
      if ("closing" in data) {
        if (warm === worker) warm = null;
        clearTimeout(timer);
        reject(new WorkerClosed());
        return;
      }
      if (data.id !== id) return;
      clearTimeout(timer);
      if (data.image) resolve(data.image);
      else if (data.reason) reject(new ImageRejected(data.reason));
      else reject(new Error(`image rendering failed: ${data.error}`));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      clearTimeout(timer);
      reject(new Error(`image worker failed: ${event.message}`));
    };
    const copy = job.bytes.slice();
    const request: RenderRequest = { id, bytes: copy, widths: [...job.widths], idleMs: IDLE_MS };
    worker.postMessage(request, [copy.buffer]);
  });
}

async function render(job: Job): Promise<RenderedImage> {
  for (;;) {
    warm ??= startWorker();
    const worker = warm;
    if (!worker) return await renderVariants(job.bytes, job.widths);
    try {
      return await inWorker(worker, job);
    } catch (err) {
      if (err instanceof ImageRejected) throw err;
      // A worker that crashed, hung or closed itself is replaced for the next image.
      worker.terminate();
      if (warm === worker) warm = null;
      if (!(err instanceof WorkerClosed)) throw err;
    }
  }
}

async function drain(): Promise<void> {
  running = true;
  try {
    while (queue.length) {
      const job = queue.shift()!;
      try {
        job.resolve(await render(job));
      } catch (err) {
        job.reject(err);
      }
    }
  } finally {
    running = false;
  }
}

/**
 * Renders `bytes` at `widths` (see renderVariants), after the images already waiting.
 * @throws ImageRejected for a file that is not an accepted, readable image.
 */
export function renderImage(bytes: Uint8Array, widths: readonly number[]): Promise<RenderedImage> {
  return new Promise((resolve, reject) => {
    queue.push({ bytes, widths, resolve, reject });
    if (!running) drain();
  });
}
