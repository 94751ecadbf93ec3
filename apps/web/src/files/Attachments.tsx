/**
 * The files a post, an assignment or a submission carries: each with its kind and size, pictures
 * as thumbnails, and its name to download it. A download asks the API for a fresh link (valid a
 * few minutes, answered as an attachment under the file's name) and the browser saves it.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC, useTRPCClient } from "../trpc.ts";
import { describeError } from "../ui/errors.ts";
import { FileIcon } from "./FileIcon.tsx";
import { FileName } from "./FileName.tsx";
import { formatSize, isImage, kindOf } from "./files.ts";
import type { Attachment } from "./useUploads.ts";
import "./files.css";

/** A thumbnail's link is fetched again before the API's 5 minutes are up. */
const THUMBNAIL_FRESH_MS = 4 * 60 * 1000;

export function Attachments({ attachments, label = "Attachments", compact = false }: { attachments: readonly Attachment[] | undefined; label?: string; compact?: boolean }) {
  if (!attachments || attachments.length === 0) return null;
  return (
    <ul className={`attachments${compact ? " attachments-compact" : ""}`} aria-label={label}>
      {attachments.map((attachment) => (
        <AttachmentRow key={attachment.file_id} attachment={attachment} />
      ))}
    </ul>
  );
}

function AttachmentRow({ attachment }: { attachment: Attachment }) {
  const client = useTRPCClient();
  const [opening, setOpening] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function download() {
    setOpening(true);
    setError(null);
    try {
      const link = await client.file.download.query({ file_id: attachment.file_id });
      // The link answers `Content-Disposition: attachment`: the browser saves the file and stays on this page.
      window.location.assign(link.url);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setOpening(false);
    }
  }

  return (
    <li className="attachment" data-file-id={attachment.file_id}>
      <AttachmentPicture attachment={attachment} />
      <div className="attachment-body">
        <button type="button" className="link file-name" title={`Download ${attachment.filename}`} disabled={opening} onClick={() => void download()}>
          <FileName name={attachment.filename} spoken={`Download ${attachment.filename}`} />
        </button>
        <span className="muted small">
          {kindOf(attachment.content_type)} · {formatSize(attachment.size)}
          {opening ? " · opening…" : ""}
        </span>
        {error && (
          <span className="upload-error small" role="alert">
            {error}
          </span>
        )}
      </div>
    </li>
  );
}

/** A picture's thumbnail (its download link loaded as an image), or the badge of its kind. */
export function AttachmentPicture({ attachment }: { attachment: Attachment }) {
  return isImage(attachment.content_type) ? <Thumbnail attachment={attachment} /> : <FileIcon contentType={attachment.content_type} />;
}

function Thumbnail({ attachment }: { attachment: Attachment }) {
  const trpc = useTRPC();
  const link = useQuery({ ...trpc.file.download.queryOptions({ file_id: attachment.file_id }), staleTime: THUMBNAIL_FRESH_MS });
  const [broken, setBroken] = useState(false);
  if (!link.data || broken) return <FileIcon contentType={attachment.content_type} />;
  return <img className="file-thumb" src={link.data.url} alt={`Preview of ${attachment.filename}`} onError={() => setBroken(true)} />;
}
