import type { MessageKey, MessageParams } from "@/i18n/mod.ts";

/**
 * Errors services throw; one error handler turns them into a localized JSON body under /api or a
 * page elsewhere. Each carries a catalog key, never user-facing text.
 */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 501 | 502 | 503,
    readonly messageKey: MessageKey,
    readonly params: MessageParams = {},
  ) {
    super(messageKey);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(messageKey: MessageKey = "error.notFound") {
    super(404, messageKey);
  }
}

export class UnauthorizedError extends AppError {
  constructor(messageKey: MessageKey = "error.unauthorized") {
    super(401, messageKey);
  }
}

export class ForbiddenError extends AppError {
  constructor(messageKey: MessageKey = "error.forbidden") {
    super(403, messageKey);
  }
}

export class ConflictError extends AppError {
  constructor(messageKey: MessageKey = "error.conflict", params?: MessageParams) {
    super(409, messageKey, params);
  }
}

/** Field errors: each field maps to catalog keys. Rendered as `{detail, field: [messages]}`. */
export class ValidationError extends AppError {
  constructor(
    readonly fields: Record<string, MessageKey[]>,
    messageKey: MessageKey = "error.validation",
  ) {
    super(400, messageKey);
  }
}

export class RateLimitError extends AppError {
  constructor(readonly retryAfterSeconds: number, messageKey: MessageKey = "error.rateLimited") {
    super(429, messageKey, { seconds: retryAfterSeconds });
  }
}
