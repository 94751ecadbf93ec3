import { kindOf } from "./files.ts";

/** A square badge with the kind of file ("PDF", "DOCX"), where a picture has its thumbnail. */
export function FileIcon({ contentType }: { contentType: string }) {
  const kind = kindOf(contentType);
  return (
    <span className={`file-icon file-icon-${kind.toLowerCase()}`} aria-hidden="true">
      {kind}
    </span>
  );
}
