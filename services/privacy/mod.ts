/**
 * Privacy by design (Saudi PDPL): the notice and its acceptance, the personal-data export, account
 * deletion, and the retention job. docs/privacy.md lists what is stored where, why, how long.
 */
export { PRIVACY_NOTICE, PRIVACY_NOTICE_VERSION } from "./notice.ts";
export type { NoticeSection, PrivacyNotice } from "./notice.ts";
export {
  acceptanceForLogin,
  acceptedVersion,
  hasCurrentConsent,
  listConsents,
  LOGIN_ACCEPTANCE_SECONDS,
  PrivacyNoticeOutdatedError,
  PrivacyNoticeRequiredError,
  recordConsent,
} from "./consent.ts";
export type { Consent, ConsentSource } from "./consent.ts";
export { EXPORT_COVERAGE, exportPersonalData, referencesToUsers } from "./export.ts";
export type { PersonalDataExport } from "./export.ts";
export {
  ACCOUNT_DELETED_REASON,
  deleteAccount,
  isTombstonePhone,
  TOMBSTONE_PHONE,
} from "./delete.ts";
export type { DeletionResult } from "./delete.ts";
export { runRetention, runRetentionIfDue, startRetentionJob } from "./retention.ts";
export type { RetentionConfig, RetentionResult } from "./retention.ts";
