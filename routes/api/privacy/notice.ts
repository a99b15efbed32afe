import { defineHandlers } from "@/routes/_define.ts";
import { PRIVACY_NOTICE, PRIVACY_NOTICE_VERSION } from "@/services/privacy/notice.ts";

/**
 * `GET /api/privacy/notice/` → {version, url, title, summary}: what a client shows before login
 * and sends back as `notice_version` with `accept_privacy_notice: true`.
 */
export const handler = defineHandlers({
  GET(c) {
    const notice = PRIVACY_NOTICE[c.var.state.locale];
    return c.json({
      version: PRIVACY_NOTICE_VERSION,
      url: "/privacy",
      title: notice.title,
      summary: notice.summary,
    });
  },
});
