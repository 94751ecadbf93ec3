/**
 * Picking or dropping files to attach, and each file's way to ready: its progress while it
 * uploads (Cancel drops it), the reason and Retry when it failed, Remove once it is ready.
 * The state lives in `useUploads`, owned by the form that sends the ids.
 */
import { type DragEvent, useId, useState } from "react";
import { AttachmentPicture } from "./Attachments.tsx";
import { ACCEPT_ATTRIBUTE, MAX_FILE_SIZE_TEXT, formatSize, progressText } from "./files.ts";
import { FileIcon } from "./FileIcon.tsx";
import { FileName } from "./FileName.tsx";
import type { UploadItem, Uploads } from "./useUploads.ts";
import "./files.css";

const hasFiles = (event: DragEvent) => event.dataTransfer.types.includes("Files");

export function FileUploader({
  uploads,
  legend,
  label = "Attach files",
  disabled = false,
}: {
  uploads: Uploads;
  /** The group's title ("Materials (optional)"); none when the form says it already. */
  legend?: string;
  label?: string;
  disabled?: boolean;
}) {
  const id = useId();
  const [dragging, setDragging] = useState(false);
  const waiting = uploads.items.filter((item) => item.status !== "ready" && item.status !== "failed").length;
  const failed = uploads.items.filter((item) => item.status === "failed").length;

  function onDragOver(event: DragEvent) {
    if (disabled || !hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    setDragging(true);
  }

  function onDrop(event: DragEvent) {
    if (disabled || !hasFiles(event)) return;
    event.preventDefault();
    setDragging(false);
    uploads.add(event.dataTransfer.files);
  }

  const uploader = (
    <div
      className={`uploader${dragging ? " uploader-dragging" : ""}`}
      onDragOver={onDragOver}
      onDragLeave={(event) => {
        // Moving onto a child is no leaving.
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <div className="uploader-pick">
        <input
          id={`${id}-input`}
          className="visually-hidden uploader-input"
          type="file"
          multiple
          accept={ACCEPT_ATTRIBUTE}
          disabled={disabled}
          aria-describedby={`${id}-hint`}
          onChange={(event) => {
            if (event.target.files) uploads.add(event.target.files);
            event.target.value = "";
          }}
        />
        <label htmlFor={`${id}-input`} className={`button small uploader-button${disabled ? " disabled" : ""}`}>
          <PaperClip /> {label}
        </label>
        <span id={`${id}-hint`} className="muted small uploader-hint">
          <span className="uploader-drop">or drop them here · </span>PDF, images, office documents, text or zip, up to {MAX_FILE_SIZE_TEXT}
        </span>
      </div>
      {uploads.refusals.length > 0 && (
        <ul className="error uploader-refusals" role="alert">
          {uploads.refusals.map((refusal) => (
            <li key={refusal}>{refusal}</li>
          ))}
        </ul>
      )}
      {uploads.items.length > 0 && (
        <ul className="uploads" aria-label="Files to attach">
          {uploads.items.map((item) => (
            <UploadRow key={item.key} item={item} uploads={uploads} disabled={disabled} />
          ))}
        </ul>
      )}
      <p className="muted small uploader-status" role="status" aria-live="polite">
        {failed > 0
          ? `${failed === 1 ? "A file" : `${failed} files`} could not be uploaded: retry or remove ${failed === 1 ? "it" : "them"} to continue.`
          : waiting > 0
            ? `Uploading ${waiting === 1 ? "1 file" : `${waiting} files`}…`
            : ""}
      </p>
    </div>
  );
  if (!legend) return uploader;
  return (
    <fieldset className="plain uploader-field">
      <legend>{legend}</legend>
      {uploader}
    </fieldset>
  );
}

const STATUS_TEXT: Record<UploadItem["status"], string> = {
  starting: "Preparing…",
  uploading: "Uploading…",
  checking: "Checking…",
  ready: "Ready",
  failed: "Failed",
};

function UploadRow({ item, uploads, disabled }: { item: UploadItem; uploads: Uploads; disabled: boolean }) {
  const moving = item.status === "starting" || item.status === "uploading" || item.status === "checking";
  const percent = item.size > 0 ? Math.round((item.sent / item.size) * 100) : 0;
  return (
    <li className={`upload upload-${item.status}`} data-status={item.status}>
      {item.preview ? (
        <img className="file-thumb" src={item.preview} alt={`Preview of ${item.filename}`} />
      ) : item.status === "ready" && item.file_id && !item.file ? (
        <AttachmentPicture attachment={{ file_id: item.file_id, filename: item.filename, content_type: item.content_type, size: item.size }} />
      ) : (
        <FileIcon contentType={item.content_type} />
      )}
      <div className="upload-body">
        <span className="file-name" title={item.filename}>
          <FileName name={item.filename} />
        </span>
        <span className="muted small">
          {STATUS_TEXT[item.status]} · {item.status === "uploading" ? progressText(item.sent, item.size) : formatSize(item.size)}
        </span>
        {moving && (
          <div
            className="upload-progress"
            role="progressbar"
            aria-label={`Uploading ${item.filename}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={`${percent}% (${progressText(item.sent, item.size)})`}
          >
            <div className="upload-progress-bar" style={{ width: `${percent}%` }} />
          </div>
        )}
        {item.status === "failed" && item.error && <span className="upload-error small">{item.error}</span>}
      </div>
      <div className="upload-actions">
        {moving && (
          <button type="button" className="button ghost small" aria-label={`Cancel ${item.filename}`} onClick={() => uploads.cancel(item.key)}>
            Cancel
          </button>
        )}
        {item.status === "failed" && item.file && (
          <button type="button" className="button small" aria-label={`Retry ${item.filename}`} onClick={() => uploads.retry(item.key)}>
            Retry
          </button>
        )}
        {(item.status === "ready" || item.status === "failed") && (
          <button type="button" className="button ghost small" aria-label={`Remove ${item.filename}`} disabled={disabled} onClick={() => uploads.remove(item.key)}>
            Remove
          </button>
        )}
      </div>
    </li>
  );
}

function PaperClip() {
  return (
    <svg className="uploader-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
