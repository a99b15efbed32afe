/**
 * What an uploaded image is and what we make of it. The format is read from the file's first bytes
 * (never its name or declared type); the pixels are decoded by libvips (wasm-vips: JPEG, PNG, WebP)
 * or libheif (libheif-js: HEIC/HEIF from iPhones), both pure WebAssembly, so this runs under
 * `--allow-read` alone and on Deno Deploy. Rendering re-encodes the pixels, so no metadata (EXIF
 * with GPS, XMP, maker notes) survives; the EXIF orientation is applied first.
 *
 * {@link renderVariants} is CPU-heavy: services call it through render_pool.ts, which runs it off
 * the request thread.
 */
import Vips from "wasm-vips";

export type SourceFormat = "jpeg" | "png" | "webp" | "heif";
export type OutputFormat = "webp" | "jpeg";

/** The largest file accepted, in bytes. */
export const MAX_UPLOAD_BYTES = 15 * 1024 * 1024;
/** The most pixels accepted (width × height, as the file declares them). */
export const MAX_PIXELS = 40_000_000;

/** Why an image was refused; each has a catalog message `photos.error.<reason>`. */
export type ImageRejection = "unsupported" | "tooLarge" | "tooManyPixels" | "unreadable";

export class ImageRejected extends Error {
  override name = "ImageRejected";
  constructor(readonly reason: ImageRejection) {
    super(reason);
  }
}

const HEIF_BRANDS = new Set([
  "heic",
  "heix",
  "hevc",
  "hevx",
  "heim",
  "heis",
  "hevm",
  "hevs",
  "mif1",
  "msf1",
]);

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/** The image format by content (magic bytes), or null for anything else. */
export function sniffFormat(bytes: Uint8Array): SourceFormat | null {
  if (bytes.length < 12) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (ascii(bytes, 0, 8) === "\x89PNG\r\n\x1a\n") return "png";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  if (ascii(bytes, 4, 8) === "ftyp") {
    // An ISO-BMFF file type box: its major brand, then compatible brands up to the box's end.
    const size = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
    const end = Math.min(size, bytes.length, 64);
    const brands = [ascii(bytes, 8, 12)];
    for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(bytes, at, at + 4));
    // AVIF shares the container (and often lists mif1) but is not a format we take.
    if (brands[0] === "avif" || brands[0] === "avis") return null;
    if (brands.some((b) => HEIF_BRANDS.has(b))) return "heif";
  }
  return null;
}

/** Checks what can be checked without decoding: size and format. */
export function checkUpload(bytes: Uint8Array): SourceFormat {
  if (bytes.length > MAX_UPLOAD_BYTES) throw new ImageRejected("tooLarge");
  const format = sniffFormat(bytes);
  if (!format) throw new ImageRejected("unsupported");
  return format;
}

export interface RenderedVariant {
  width: number;
  height: number;
  format: OutputFormat;
  bytes: Uint8Array;
}

export interface RenderedImage {
  /** Of the largest variant (the aspect ratio every variant shares). */
  width: number;
  height: number;
  variants: RenderedVariant[];
}

type VipsModule = Awaited<ReturnType<typeof Vips>>;
type VipsImage = InstanceType<VipsModule["Image"]>;

let vipsModule: Promise<VipsModule> | undefined;

function vips(): Promise<VipsModule> {
  // Only the core build: JPEG, PNG and WebP in and out (HEIF comes through libheif below).
  vipsModule ??= Vips(
    {
      dynamicLibraries: [],
      // Its warnings about damaged files would go to stderr; a damaged file is refused anyway.
      printErr: () => {},
      // One thread, said up front: otherwise libvips asks the OS for the number of cores, which
      // production's permissions (no --allow-sys) refuse.
      preRun: (module: { ENV: Record<string, string> }) => {
        module.ENV.VIPS_CONCURRENCY = "1";
      },
    } as Parameters<typeof Vips>[0],
  ).then((v) => {
    v.Cache.max(0);
    return v;
  });
  return vipsModule;
}

/** Decodes an HEIC/HEIF file's primary image (libheif applies its rotation and mirroring). */
async function decodeHeif(v: VipsModule, bytes: Uint8Array): Promise<VipsImage> {
  const { default: factory } = await import("libheif-js/libheif-wasm/libheif-bundle.mjs");
  const libheif = await factory();
  const decoder = new libheif.HeifDecoder();
  let images;
  try {
    images = decoder.decode(bytes);
  } catch {
    throw new ImageRejected("unreadable");
  }
  const image = images?.[0];
  if (!image) throw new ImageRejected("unreadable");
  try {
    const width = image.get_width();
    const height = image.get_height();
    if (width * height > MAX_PIXELS) throw new ImageRejected("tooManyPixels");
    const data = new Uint8ClampedArray(width * height * 4);
    const rgba = await new Promise<{ data: Uint8ClampedArray }>((resolve, reject) =>
      image.display(
        { data, width, height },
        (out: { data: Uint8ClampedArray } | null) =>
          out ? resolve(out) : reject(new ImageRejected("unreadable")),
      )
    );
    const pixels = new Uint8Array(rgba.data.buffer, rgba.data.byteOffset, rgba.data.byteLength);
    return v.Image.newFromMemory(pixels, width, height, 4, v.BandFormat.uchar)
      .copy({ interpretation: v.Interpretation.srgb });
  } finally {
    for (const im of images) im.free?.();
  }
}

/**
 * The largest rendition (at most `maxWidth` wide and `maxHeight` high, never enlarged), upright,
 * in sRGB, without alpha, in memory.
 */
async function decodeUpright(
  v: VipsModule,
  bytes: Uint8Array,
  format: SourceFormat,
  maxWidth: number,
  maxHeight: number,
): Promise<VipsImage> {
  let image: VipsImage;
  if (format === "heif") {
    image = (await decodeHeif(v, bytes)).thumbnailImage(maxWidth, {
      height: maxHeight,
      size: v.Size.down,
    });
  } else {
    let header: VipsImage;
    try {
      header = v.Image.newFromBuffer(bytes); // reads the header only
    } catch {
      throw new ImageRejected("unreadable");
    }
    if (header.width * header.height > MAX_PIXELS) throw new ImageRejected("tooManyPixels");
    // thumbnail shrinks while decoding (fast for large JPEGs) and applies the EXIF orientation.
    image = v.Image.thumbnailBuffer(bytes, maxWidth, { height: maxHeight, size: v.Size.down });
  }
  if (image.hasAlpha()) image = image.flatten({ background: [255, 255, 255] });
  image = image.colourspace(v.Interpretation.srgb);
  try {
    return image.copyMemory();
  } catch {
    throw new ImageRejected("unreadable");
  }
}

/**
 * Renders `bytes` at each of `widths` (never wider than the source; the source's own width
 * replaces any larger one) as WebP and progressive JPEG, with no metadata.
 * @throws ImageRejected when the file is not a readable image of an accepted format and size.
 */
export async function renderVariants(
  bytes: Uint8Array,
  widths: readonly number[],
): Promise<RenderedImage> {
  const format = checkUpload(bytes);
  const v = await vips();
  const largest = Math.max(...widths);
  const base = await decodeUpright(v, bytes, format, largest, largest * 2);
  const sizes = [...new Set(widths.map((w) => Math.min(w, base.width)))].sort((a, b) => a - b);
  const variants: RenderedVariant[] = [];
  for (const width of sizes) {
    const image = width === base.width ? base : base.resize(width / base.width);
    const common = { keep: v.ForeignKeep.none };
    variants.push({
      width: image.width,
      height: image.height,
      format: "webp",
      bytes: image.writeToBuffer(".webp", { ...common, Q: 75, effort: 4 }),
    }, {
      width: image.width,
      height: image.height,
      format: "jpeg",
      bytes: image.writeToBuffer(".jpg", {
        ...common,
        Q: 80,
        interlace: true,
        optimize_coding: true,
      }),
    });
  }
  return { width: base.width, height: base.height, variants };
}
