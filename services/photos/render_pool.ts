/**
 * Renders images one at a time in a Web Worker, so decoding and encoding (hundreds of milliseconds
 * per photo) never block the thread that serves requests, and an instance spends at most one core
 * on photos however many uploads arrive. The worker starts with the first image and stops when
 * nothing is waiting (its WebAssembly memory goes with it). Where workers are unavailable, images
 * are rendered on this thread, still one at a time.
 */
import { ImageRejected, type ImageRejection, type RenderedImage, renderVariants } from "./image.ts";

type Job = {
  bytes: Uint8Array;
  widths: readonly number[];
  resolve: (image: RenderedImage) => void;
  reject: (err: unknown) => void;
};

type Reply = { id: number; image?: RenderedImage; reason?: ImageRejection | null; error?: string };

/** The longest one image may take before its worker is given up on. */
const JOB_TIMEOUT_MS = 120_000;

// The Web Worker constructor, kept before anything can replace it: Emscripten modules loaded on
// this thread (wasm-vips, in the fallback) install Node's worker_threads Worker as a global.
const WebWorker = globalThis.Worker;

const queue: Job[] = [];
let running = false;

function startWorker(): Worker | null {
  try {
    return new WebWorker(new URL("./render_worker.ts", import.meta.url), { type: "module" });
  } catch {
    return null;
  }
}

function inWorker(worker: Worker, job: Job, id: number): Promise<RenderedImage> {
  return new Promise<RenderedImage>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("image rendering timed out")),
      JOB_TIMEOUT_MS,
    );
    worker.onmessage = ({ data }: MessageEvent<Reply>) => {
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
    worker.postMessage({ id, bytes: copy, widths: [...job.widths] }, [copy.buffer]);
  });
}

async function drain(): Promise<void> {
  running = true;
  let worker = startWorker();
  let id = 0;
  try {
    while (queue.length) {
      const job = queue.shift()!;
      try {
        job.resolve(
          worker ? await inWorker(worker, job, ++id) : await renderVariants(job.bytes, job.widths),
        );
      } catch (err) {
        job.reject(err);
        if (worker && !(err instanceof ImageRejected)) {
          // A crashed worker is replaced for the next image.
          worker.terminate();
          worker = startWorker();
        }
      }
    }
  } finally {
    worker?.terminate();
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
