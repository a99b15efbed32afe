/**
 * Draws the demo data's photos and renders them through the real upload pipeline into
 * db/demo_photos/ (committed: nothing can be downloaded at build time, and seeding stays fast).
 * Each salon gets a cover and three more gallery photos (a styling mirror, lights, a counter, in
 * its own colours), each staff member a portrait, each salon's first staff member a portfolio.
 * Deterministic: running it again draws the same pictures.
 *
 *   deno run -A scripts/demo_photos.ts
 */
import Vips from "wasm-vips";
import { renderVariants } from "@/services/photos/image.ts";
import { DEMO_PHOTO_SETS, type DemoPhotoManifest } from "@/db/seed_photos.ts";

const OUT = new URL("../db/demo_photos/", import.meta.url);
const vips = await Vips({ dynamicLibraries: [] });
type Image = InstanceType<typeof vips.Image>;
type Rgb = [number, number, number];

/** A small seeded PRNG (mulberry32), so the pictures are the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A diagonal gradient from `a` (top start) to `b` (bottom end). */
function gradient(w: number, h: number, a: Rgb, b: Rgb, tilt = 0.35): Image {
  const xy = vips.Image.xyz(w, h);
  const t = xy.extractBand(0).linear(tilt / w, 0).add(xy.extractBand(1).linear((1 - tilt) / h, 0));
  return vips.Image.bandjoin([0, 1, 2].map((i) => t.linear(b[i] - a[i], a[i])));
}

/** A one-band mask (0–255) to draw shapes on. */
function mask(w: number, h: number): Image {
  return vips.Image.black(w, h).copyMemory();
}

/** `base` with `color` laid over it where `m` is set, at `opacity`. */
function paint(base: Image, m: Image, color: Rgb, opacity = 1): Image {
  const alpha = m.linear(opacity / 255, 0);
  const layer = vips.Image.black(base.width, base.height).newFromImage(color);
  return base.multiply(alpha.linear(-1, 1)).add(layer.multiply(alpha));
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t)) as Rgb;
}

/** An arched mirror with its frame, a counter below it and soft lights around. */
function interior(palette: readonly Rgb[], seed: number, w = 1600, h = 1000): Image {
  const rnd = random(seed);
  const [wall, wall2, accent, wood] = palette;
  let img = gradient(w, h, wall, wall2);
  // Lights: soft round glows.
  const lights = mask(w, h);
  for (let i = 0; i < 14; i++) {
    lights.drawCircle([255], rnd() * w, rnd() * h * 0.7, 20 + rnd() * 60, { fill: true });
  }
  img = paint(img, lights.gaussblur(18), [255, 244, 225], 0.45);
  // Mirrors: a frame, then the glass, an arch each.
  const count = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < count; i++) {
    const cx = (w * (i + 0.5)) / count + (rnd() - 0.5) * 60;
    const mw = Math.min(w / count * 0.55, 380);
    const top = h * 0.18;
    const bottom = h * 0.68;
    const frame = mask(w, h);
    frame.drawCircle([255], cx, top + mw / 2, mw / 2 + 14, { fill: true });
    frame.drawRect([255], cx - mw / 2 - 14, top + mw / 2, mw + 28, bottom - top - mw / 2 + 14, {
      fill: true,
    });
    img = paint(img, frame.gaussblur(1.2), accent, 0.95);
    const glass = mask(w, h);
    glass.drawCircle([255], cx, top + mw / 2, mw / 2, { fill: true });
    glass.drawRect([255], cx - mw / 2, top + mw / 2, mw, bottom - top - mw / 2, { fill: true });
    img = paint(img, glass.gaussblur(1.2), mix(wall2, [235, 240, 244], 0.7), 0.92);
    const shine = mask(w, h);
    shine.drawRect([255], cx - mw / 4, top + mw * 0.3, mw / 9, (bottom - top) * 0.6, {
      fill: true,
    });
    img = paint(img, shine.gaussblur(14), [255, 255, 255], 0.35);
  }
  // The counter and its shadow.
  const counter = mask(w, h);
  counter.drawRect([255], 0, h * 0.74, w, h * 0.26, { fill: true });
  img = paint(img, counter.gaussblur(2), wood, 1);
  const edge = mask(w, h);
  edge.drawRect([255], 0, h * 0.74, w, 10, { fill: true });
  img = paint(img, edge.gaussblur(2), mix(wood, [255, 255, 255], 0.35), 0.9);
  // Bottles and jars on the counter.
  const things = mask(w, h);
  for (let i = 0; i < 9; i++) {
    const x = rnd() * w;
    const bw = 18 + rnd() * 30;
    const bh = 40 + rnd() * 90;
    things.drawRect([255], x, h * 0.74 - bh, bw, bh, { fill: true });
    things.drawCircle([255], x + bw / 2, h * 0.74 - bh, bw / 2, { fill: true });
  }
  img = paint(img, things.gaussblur(1.5), mix(accent, [40, 30, 30], 0.3), 0.85);
  return vignette(img, 0.35);
}

/** Darker towards the corners, like a lens. */
function vignette(img: Image, strength: number): Image {
  const w = img.width;
  const h = img.height;
  const xy = vips.Image.xyz(w, h).linear([1 / w, 1 / h], [-0.5, -0.5]);
  const d = xy.multiply(xy).bandmean().linear(2, 0).pow(0.5); // 0 centre … ~1 corner
  return img.multiply(d.linear(-strength, 1));
}

/** A head-and-shoulders silhouette on a soft background. */
function portrait(background: readonly Rgb[], seed: number, size = 640): Image {
  const rnd = random(seed);
  const [a, b, figure] = background;
  let img = gradient(size, size, a, b, 0.6);
  const shoulders = mask(size, size);
  shoulders.drawCircle([255], size / 2, size * 1.12, size * 0.46, { fill: true });
  img = paint(img, shoulders.gaussblur(2), figure, 0.95);
  const head = mask(size, size);
  head.drawCircle([255], size / 2 + (rnd() - 0.5) * 20, size * 0.42, size * 0.19, { fill: true });
  img = paint(img, head.gaussblur(2), mix(figure, [255, 255, 255], 0.12), 0.97);
  const light = mask(size, size);
  light.drawCircle([255], size * 0.25, size * 0.2, size * 0.2, { fill: true });
  img = paint(img, light.gaussblur(40), [255, 255, 255], 0.3);
  return img;
}

/** A close-up "work" picture for a portfolio: swirls of colour. */
function work(palette: readonly Rgb[], seed: number, size = 1200): Image {
  const rnd = random(seed);
  let img = gradient(size, size, palette[0], palette[1], rnd());
  for (let i = 0; i < 5; i++) {
    const m = mask(size, size);
    m.drawCircle([255], rnd() * size, rnd() * size, size * (0.1 + rnd() * 0.25), { fill: true });
    img = paint(img, m.gaussblur(30 + rnd() * 40), palette[2 + (i % 2)], 0.55);
  }
  return vignette(img, 0.3);
}

async function save(name: string, image: Image, widths: readonly number[]) {
  const source = image.cast(vips.BandFormat.uchar).writeToBuffer(".jpg", { Q: 92 });
  const rendered = await renderVariants(source, widths);
  const dir = new URL(`${name}/`, OUT);
  await Deno.mkdir(dir, { recursive: true });
  const variants = [];
  for (const v of rendered.variants) {
    const digest = new Uint8Array(
      await crypto.subtle.digest("SHA-256", v.bytes as Uint8Array<ArrayBuffer>),
    );
    const hash = Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
    const file = `${hash}-${v.width}.${v.format === "webp" ? "webp" : "jpg"}`;
    await Deno.writeFile(new URL(file, dir), v.bytes);
    variants.push({ file, width: v.width, height: v.height, format: v.format });
  }
  return { dir: name, width: rendered.width, height: rendered.height, variants };
}

await Deno.remove(OUT, { recursive: true }).catch(() => {});
const manifest: DemoPhotoManifest = { salons: {}, staff: {}, portfolios: {} };
let seed = 1;
for (const set of DEMO_PHOTO_SETS) {
  const gallery = [];
  for (const [i, alt] of set.gallery.entries()) {
    gallery.push({
      ...await save(`${set.slug}-${i + 1}`, interior(set.palette, seed++), [480, 960, 1600]),
      ...alt,
    });
  }
  manifest.salons[set.slug] = gallery;
  for (const [i, name] of set.staff.entries()) {
    const figure = set.figures[i % set.figures.length];
    manifest.staff[name] = await save(
      `${set.slug}-staff-${i + 1}`,
      portrait([set.palette[0], set.palette[1], figure], seed++),
      [160, 320, 640],
    );
  }
  manifest.portfolios[set.staff[0]] = [];
  for (let i = 0; i < 2; i++) {
    manifest.portfolios[set.staff[0]].push(
      await save(
        `${set.slug}-work-${i + 1}`,
        work([...set.palette.slice(1), ...set.figures], seed++),
        [480, 960, 1600],
      ),
    );
  }
}
await Deno.writeTextFile(new URL("manifest.json", OUT), JSON.stringify(manifest, null, 2) + "\n");
console.log(`demo photos written to ${OUT.pathname}`);
