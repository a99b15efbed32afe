import { defineHandlers } from "@/routes/_define.ts";
import { isUuid } from "@/services/ids.ts";

const FILE = /^[0-9a-f]{16}-[0-9]{1,5}\.(webp|jpg)$/;

/**
 * `/photos/:id/:file`: a stored photo rendition. Its name carries its content hash, so it never
 * changes: browsers and CDNs keep it for a year without asking again.
 */
export const handler = defineHandlers({
  async GET(c) {
    const { id, file } = c.req.param() as { id: string; file: string };
    if (!isUuid(id) || !FILE.test(file)) return c.notFound();
    const stored = await c.var.deps.photos.get(`${id}/${file}`);
    if (!stored) return c.notFound();
    // The same bytes for every language and visitor.
    c.header("vary", undefined);
    c.header("content-language", undefined);
    return c.body(stored.body, 200, {
      "content-type": stored.contentType,
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    });
  },
});
