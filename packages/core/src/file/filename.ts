/**
 * File names as people see them. A name comes from the uploader's machine and is shown to
 * everyone in the class and offered to their browsers when they download: it must not carry a
 * path, control characters, or invisible direction marks that make `invoice\u202Efdp.exe` read
 * as `invoiceexe.pdf`.
 */
import { MAX_FILENAME_LENGTH } from "../limits.ts";

/**
 * Control characters (C0, DEL, C1), invisible format characters (bidirectional embeddings,
 * overrides and isolates, zero-width marks, the BOM) and line or paragraph separators.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
/** Characters common file systems refuse in a name. */
const RESERVED = /[<>:"|?*]/g;

/**
 * The name to show and to offer for download: the last segment of any path (either slash),
 * without invisible characters, reserved characters replaced by `_`, runs of spaces collapsed,
 * no leading or trailing dots or spaces, at most `MAX_FILENAME_LENGTH` characters (the
 * extension kept). Empty when nothing usable is left.
 */
export function sanitizeFilename(raw: string): string {
  const segments = raw.normalize("NFC").replace(INVISIBLE, "").split(/[/\\]/);
  const last = segments.filter((segment) => segment.trim() !== "").pop() ?? "";
  const name = last
    .replace(RESERVED, "_")
    .replace(/\s+/g, " ")
    .replace(/^[\s.]+|[\s.]+$/g, "");
  return truncate(name, MAX_FILENAME_LENGTH);
}

/** Shortens by code points, keeping a short extension. */
function truncate(name: string, max: number): string {
  const chars = [...name];
  if (chars.length <= max) return name;
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 && name.length - dot <= 16 ? [...name.slice(dot)] : [];
  return [...chars.slice(0, max - extension.length), ...extension].join("").trim();
}

/**
 * `Content-Disposition: attachment` for a (sanitized) name, as RFC 6266 advises: `filename`
 * with an ASCII stand-in for older clients, `filename*` with the exact name, UTF-8 and
 * percent-encoded.
 */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const exact = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}
