/**
 * Sends a file straight to S3 with the presigned POST the API handed out: a multipart form of
 * the signed fields, then the file as `file` (S3 reads the fields before the file, so the order
 * matters). XMLHttpRequest rather than fetch because only it reports upload progress.
 */
export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

export class UploadError extends Error {
  override readonly name = "UploadError";
}

export class UploadAborted extends Error {
  override readonly name = "UploadAborted";
}

export function postFile(
  upload: PresignedPost,
  file: Blob,
  { onProgress, signal }: { onProgress: (sent: number, total: number) => void; signal: AbortSignal },
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new UploadAborted("The upload was cancelled."));
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append("file", file);

    const xhr = new XMLHttpRequest();
    const abort = () => xhr.abort();
    signal.addEventListener("abort", abort, { once: true });
    const settle = () => signal.removeEventListener("abort", abort);
    xhr.upload.addEventListener("progress", (event) => {
      // The form's bytes include the fields; the file is nearly all of them, and the bar only needs to move honestly.
      onProgress(event.lengthComputable ? Math.round((event.loaded / event.total) * file.size) : 0, file.size);
    });
    xhr.addEventListener("load", () => {
      settle();
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(file.size, file.size);
        resolve();
      } else {
        reject(new UploadError(`The file storage refused the upload (${xhr.status}). Try again.`));
      }
    });
    xhr.addEventListener("error", () => {
      settle();
      reject(new UploadError("The upload failed: the file storage could not be reached. Check your connection and try again."));
    });
    xhr.addEventListener("timeout", () => {
      settle();
      reject(new UploadError("The upload took too long. Try again."));
    });
    xhr.addEventListener("abort", () => {
      settle();
      reject(new UploadAborted("The upload was cancelled."));
    });
    xhr.open("POST", upload.url);
    xhr.send(form);
  });
}
