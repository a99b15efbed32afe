/** Photos on pages: a `<picture>` with WebP and JPEG renditions the browser picks from. */
import type { PublicPhoto } from "@/services/photos/public.ts";

/**
 * One photo: WebP for browsers that take it, JPEG for the rest, the rendition chosen by `sizes`;
 * `width`/`height` reserve its box before it loads. Below the fold (the default) it loads lazily;
 * `priority` is for the one image that is the page's largest paint (a salon's cover).
 */
export function Picture(
  { photo, alt, sizes, priority, class: cls }: {
    photo: PublicPhoto;
    alt: string;
    /** The CSS width the image takes, e.g. `(min-width: 768px) 50vw, 100vw`. */
    sizes: string;
    priority?: boolean;
    class?: string;
  },
) {
  return (
    <picture>
      <source type="image/webp" srcset={photo.webpSrcset} sizes={sizes} />
      <img
        src={photo.src}
        srcset={photo.jpegSrcset}
        sizes={sizes}
        width={photo.width}
        height={photo.height}
        alt={alt}
        loading={priority ? "eager" : "lazy"}
        decoding={priority ? "sync" : "async"}
        fetchpriority={priority ? "high" : undefined}
        class={cls}
      />
    </picture>
  );
}
