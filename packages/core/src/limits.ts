/**
 * Limits and settings shared by the server, the typed client and the web app. Plain
 * constants with no imports, so browser code can import this module without pulling in
 * the server (`@classroom/core/limits`).
 */

/** Longest chat message, post and comment, in characters (after trimming). */
export const MAX_MESSAGE_LENGTH = 2000;
export const MAX_POST_LENGTH = 5000;
export const MAX_COMMENT_LENGTH = 2000;
/** Longest class name. */
export const MAX_CLASS_NAME_LENGTH = 120;
/** Longest class section ("Period 2"), room and description. */
export const MAX_CLASS_SECTION_LENGTH = 120;
export const MAX_CLASS_ROOM_LENGTH = 60;
export const MAX_CLASS_DESCRIPTION_LENGTH = 5000;
/** Enrollment codes: this many characters from an alphabet without look-alikes (no 0/O, 1/I/L). */
export const ENROLLMENT_CODE_LENGTH = 7;
export const ENROLLMENT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/** Assignments: title and instructions lengths, the largest point value, and list pages. */
export const MAX_ASSIGNMENT_TITLE_LENGTH = 200;
export const MAX_ASSIGNMENT_DESCRIPTION_LENGTH = 10_000;
export const MAX_POINTS = 1000;
export const DEFAULT_MAX_POINTS = 100;
export const DEFAULT_ASSIGNMENT_PAGE = 20;
export const MAX_ASSIGNMENT_PAGE = 50;
/** Longest text a student turns in. */
export const MAX_SUBMISSION_TEXT_LENGTH = 10_000;

/**
 * Standings: a student whose average is strictly above this (percent) is a top performer (the
 * sparse TopPerformersIndex holds exactly them); below the second one the Grades tab flags them.
 * Ranking pages: default and largest size.
 */
export const TOP_PERFORMER_SCORE = 80;
export const AT_RISK_SCORE = 60;
export const DEFAULT_RANKING_PAGE = 50;
export const MAX_RANKING_PAGE = 100;

/** Chat pages: default and largest page size. */
export const DEFAULT_MESSAGE_PAGE = 50;
export const MAX_MESSAGE_PAGE = 100;
/** Post pages (newest first). */
export const DEFAULT_POST_PAGE = 20;
export const MAX_POST_PAGE = 50;
/** Comment pages (oldest first). */
export const DEFAULT_COMMENT_PAGE = 50;
export const MAX_COMMENT_PAGE = 100;
/** Audit trail pages (newest first). */
export const DEFAULT_AUDIT_PAGE = 50;
export const MAX_AUDIT_PAGE = 100;

/**
 * Calls one tRPC batch may carry. Each call is its own authorization and database work, so an
 * unbounded batch lets one request cost hundreds of reads; a page issues a handful at once.
 * The API refuses larger batches; the typed client and the web app split theirs to fit.
 */
export const MAX_BATCH_SIZE = 25;

/** Chat messages (and their audit events) expire this many days after they are sent. */
export const MESSAGE_TTL_DAYS = 90;

/** Posts a class can have pinned at once. */
export const MAX_PINNED_POSTS = 3;
/** Longest mute a teacher can give, in minutes (one week). */
export const MAX_MUTE_MINUTES = 7 * 24 * 60;

/** Reactions a message can get. */
export const REACTION_TYPES = ["like", "heart"] as const;

/**
 * Files (uploaded straight to S3 with a presigned POST): the types accepted, by media type,
 * with the extension people know them by, and the largest file, in bytes (25 MB).
 */
export const FILE_CONTENT_TYPES = {
  "application/pdf": "pdf",
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
  "application/msword": "doc",
  "application/vnd.ms-excel": "xls",
  "application/vnd.ms-powerpoint": "ppt",
  "text/plain": "txt",
  "application/zip": "zip",
} as const;
export const MAX_FILE_SIZE = 25 * 1024 * 1024;
/** Longest file name kept (after sanitizing), in characters. */
export const MAX_FILENAME_LENGTH = 255;
/** Files one post, assignment or submission may carry. */
export const MAX_ATTACHMENTS = 10;
/** How long an upload (presigned POST) and a download link (presigned GET) stay valid, in seconds. */
export const UPLOAD_URL_SECONDS = 15 * 60;
export const DOWNLOAD_URL_SECONDS = 5 * 60;

/** Recommendations ("related", "recommended for you"): default and largest number asked for. */
export const DEFAULT_RECOMMENDATIONS = 5;
export const MAX_RECOMMENDATIONS = 20;
