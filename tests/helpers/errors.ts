import assert from "node:assert/strict";
import { AppError } from "@/services/errors.ts";

/** Runs `fn` and returns the AppError it throws (failing when it does not throw one). */
export async function appError(fn: () => Promise<unknown>): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  assert.fail("expected an AppError");
}
