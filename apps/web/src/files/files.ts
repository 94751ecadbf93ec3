/**
 * Pure rules of attachments: which files Classroom accepts (the shared limits, so the browser
 * refuses what the API would refuse, before anything is sent), sizes in words, and which files
 * are shown as pictures.
 */
import { FILE_CONTENT_TYPES, MAX_ATTACHMENTS, MAX_FILE_SIZE } from "@classroom/client";

export type ContentType = keyof typeof FILE_CONTENT_TYPES;

const ACCEPTED = Object.keys(FILE_CONTENT_TYPES) as ContentType[];
const isAccepted = (type: string): type is ContentType => (ACCEPTED as string[]).includes(type);

/** Extensions people give these files, each to its media type ("jpeg" as well as "jpg"). */
const BY_EXTENSION: ReadonlyMap<string, ContentType> = new Map([
  ...ACCEPTED.map((type) => [FILE_CONTENT_TYPES[type], type] as const),
  ["jpeg", "image/jpeg"],
]);

/** For the file picker: every accepted media type and extension. */
export const ACCEPT_ATTRIBUTE = [...ACCEPTED, ...[...BY_EXTENSION.keys()].map((ext) => `.${ext}`)].join(",");

/** The kinds accepted, in words, for hints and refusals. */
export const ACCEPTED_KINDS = "PDF, images (PNG, JPEG, GIF, WebP), Word, Excel, PowerPoint, plain text and zip";

const sizeFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** "830 bytes", "12.4 KB", "3 MB", "25 MB" (1 KB = 1024 bytes, as the limit is written). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  const units = ["KB", "MB", "GB"] as const;
  let value = bytes / 1024;
  let unit = 0;
  // Rounded to one decimal, 1023.96 KB reads "1,024 KB": move up a unit first.
  while (Math.round(value * 10) / 10 >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${sizeFormat.format(value)} ${units[unit]}`;
}

/** The largest file, in words ("25 MB"). */
export const MAX_FILE_SIZE_TEXT = formatSize(MAX_FILE_SIZE);

/**
 * The media type to declare for a file the person picked: the browser's, when Classroom accepts
 * it; else the one its extension names (browsers leave the type empty for some office files, and
 * some systems name zips `application/x-zip-compressed`); else none.
 */
export function contentTypeOf(file: { name: string; type: string }): ContentType | undefined {
  if (isAccepted(file.type)) return file.type;
  const dot = file.name.lastIndexOf(".");
  if (dot < 0) return undefined;
  return BY_EXTENSION.get(file.name.slice(dot + 1).toLowerCase());
}

export type FileCheck = { ok: true; content_type: ContentType } | { ok: false; message: string };

/** Whether a picked file can be uploaded, and if not, why, in words. */
export function checkFile(file: { name: string; type: string; size: number }): FileCheck {
  const content_type = contentTypeOf(file);
  if (!content_type) return { ok: false, message: `“${file.name}” can't be attached: Classroom accepts ${ACCEPTED_KINDS}.` };
  if (file.size > MAX_FILE_SIZE) {
    const size = formatSize(file.size);
    // Just over the limit reads the same as the limit once rounded: say "larger than" instead.
    const what = size === MAX_FILE_SIZE_TEXT ? `larger than ${MAX_FILE_SIZE_TEXT}` : size;
    return { ok: false, message: `“${file.name}” is ${what}: files can be at most ${MAX_FILE_SIZE_TEXT}.` };
  }
  if (file.size === 0) return { ok: false, message: `“${file.name}” is empty.` };
  return { ok: true, content_type };
}

/** How many more files fit beside the ones already attached (or uploading). */
export function roomFor(attached: number): number {
  return Math.max(0, MAX_ATTACHMENTS - attached);
}

/** The refusal for files beyond `MAX_ATTACHMENTS`. */
export function tooManyMessage(left: number): string {
  return `At most ${MAX_ATTACHMENTS} files can be attached; ${left === 1 ? "1 file was" : `${left} files were`} left out.`;
}

/** Pictures browsers show as they are: shown as thumbnails. */
export function isImage(content_type: string): boolean {
  return content_type.startsWith("image/");
}

/** What one upload's progress bar reads: "1.2 MB of 3 MB". */
export function progressText(sent: number, total: number): string {
  return `${formatSize(Math.min(sent, total))} of ${formatSize(total)}`;
}

/** A short name for the kind of file: "PDF", "DOCX", "PNG"; "File" for anything else. */
export function kindOf(content_type: string): string {
  const extension = (FILE_CONTENT_TYPES as Record<string, string>)[content_type];
  return extension ? extension.toUpperCase() : "File";
}

/** Whether these ids are the files attached, in the same order (nothing to change). */
export function sameFiles(fileIds: readonly string[], attached: readonly { file_id: string }[]): boolean {
  return fileIds.length === attached.length && fileIds.every((id, i) => attached[i]?.file_id === id);
}

/** How much of a name's end stays in view when the name is too long: its extension and this many characters before it. */
const KEPT_BEFORE_EXTENSION = 6;
/** Longer than this after the last dot, it is no extension ("Notes v1.2 draft for the lab"). */
const MAX_EXTENSION_LENGTH = 8;

/**
 * A file name in two parts for a narrow space: the start, which is cut with an ellipsis when
 * the name does not fit, and the end (the extension and a few characters before it), which is
 * always shown, so "A very long lab report, final.pdf" reads "A very long lab re… final.pdf".
 * Counted in code points, so no character is split in two.
 */
export function splitFileName(name: string): { head: string; tail: string } {
  const chars = Array.from(name);
  const dot = chars.lastIndexOf(".");
  const extension = dot > 0 && chars.length - dot - 1 <= MAX_EXTENSION_LENGTH ? chars.length - dot : 0;
  const cut = Math.max(0, chars.length - extension - KEPT_BEFORE_EXTENSION);
  return { head: chars.slice(0, cut).join(""), tail: chars.slice(cut).join("") };
}
