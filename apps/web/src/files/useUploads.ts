/**
 * The files a form is attaching, each uploaded as soon as it is picked: `file.create` (a pending
 * file and a presigned POST), the bytes straight to S3 with progress, then `file.complete`
 * (the API checks what arrived) and the file is ready to attach. A form sends the ids of the
 * ready files (`fileIds`) and waits while any is still on its way (`settled`).
 *
 * Files already attached (an assignment being edited, work taken back) start out ready.
 * Image previews are object URLs of the picked files, revoked as soon as the file leaves the
 * list or the form goes away.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTRPCClient } from "../trpc.ts";
import { describeError } from "../ui/errors.ts";
import { type ContentType, checkFile, isImage, roomFor, tooManyMessage } from "./files.ts";
import { UploadAborted, UploadError, postFile } from "./upload.ts";

export type FilePurpose = "material" | "submission" | "post";

/** What a post, an assignment or a submission says about each file it carries. */
export interface Attachment {
  file_id: string;
  filename: string;
  content_type: string;
  size: number;
}

export type UploadStatus = "starting" | "uploading" | "checking" | "ready" | "failed";

export interface UploadItem {
  key: string;
  filename: string;
  content_type: string;
  size: number;
  status: UploadStatus;
  /** Bytes sent so far. */
  sent: number;
  /** Set once the file exists on the server (after `file.create`). */
  file_id?: string;
  error?: string;
  /** An object URL of the picked image, for its thumbnail. */
  preview?: string;
  /** The picked file, kept to retry; absent for files attached before. */
  file?: File;
}

export interface Uploads {
  items: readonly UploadItem[];
  /** Why some picked files were not added (type, size, too many), in words; empty when all were. */
  refusals: readonly string[];
  /** Ids of the ready files, in the order they were added. */
  fileIds: string[];
  /** True when every file is ready (none uploading, none failed). */
  settled: boolean;
  add(files: Iterable<File>): void;
  /** Stops an upload (or drops a failed one); the file leaves the list. */
  cancel(key: string): void;
  retry(key: string): void;
  /** Takes a ready file off the list. */
  remove(key: string): void;
  /** Starts over with these files attached (none by default), stopping any upload. */
  reset(attachments?: readonly Attachment[]): void;
}

const readyItem = (a: Attachment): UploadItem => ({
  key: `attached-${a.file_id}`,
  filename: a.filename,
  content_type: a.content_type,
  size: a.size,
  status: "ready",
  sent: a.size,
  file_id: a.file_id,
});

export function useUploads({ classId, purpose, initial = [] }: { classId: string; purpose: FilePurpose; initial?: readonly Attachment[] }): Uploads {
  const client = useTRPCClient();
  const [items, setItems] = useState<UploadItem[]>(() => initial.map(readyItem));
  const [refusals, setRefusals] = useState<string[]>([]);
  const controllers = useRef(new Map<string, AbortController>());
  const previews = useRef(new Map<string, string>());

  const update = useCallback((key: string, change: Partial<UploadItem>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  const forget = useCallback((key: string) => {
    controllers.current.get(key)?.abort();
    controllers.current.delete(key);
    const preview = previews.current.get(key);
    if (preview) URL.revokeObjectURL(preview);
    previews.current.delete(key);
  }, []);

  // Leaving the form stops its uploads and frees its previews.
  useEffect(() => {
    const running = controllers.current;
    const shown = previews.current;
    return () => {
      for (const controller of running.values()) controller.abort();
      for (const url of shown.values()) URL.revokeObjectURL(url);
      running.clear();
      shown.clear();
    };
  }, []);

  const start = useCallback(
    async (key: string, file: File, content_type: ContentType) => {
      controllers.current.get(key)?.abort();
      const controller = new AbortController();
      controllers.current.set(key, controller);
      const { signal } = controller;
      update(key, { status: "starting", sent: 0, error: undefined, file_id: undefined });
      try {
        const created = await client.file.create.mutate({ class_id: classId, purpose, filename: file.name, content_type, size: file.size });
        if (signal.aborted) return;
        update(key, { status: "uploading", file_id: created.file_id });
        await postFile(created.upload, file, { signal, onProgress: (sent) => update(key, { sent }) });
        if (signal.aborted) return;
        update(key, { status: "checking" });
        const ready = await client.file.complete.mutate({ file_id: created.file_id });
        if (signal.aborted) return;
        update(key, { status: "ready", filename: ready.filename, sent: file.size });
      } catch (error) {
        if (signal.aborted || error instanceof UploadAborted) return;
        update(key, { status: "failed", error: error instanceof UploadError ? error.message : describeError(error) });
      } finally {
        if (controllers.current.get(key) === controller) controllers.current.delete(key);
      }
    },
    [client, classId, purpose, update],
  );

  const add = useCallback(
    (files: Iterable<File>) => {
      const picked = [...files];
      const refused: string[] = [];
      const accepted: Array<{ file: File; content_type: ContentType }> = [];
      for (const file of picked) {
        const check = checkFile(file);
        if (check.ok) accepted.push({ file, content_type: check.content_type });
        else refused.push(check.message);
      }
      const room = roomFor(items.length);
      if (accepted.length > room) refused.push(tooManyMessage(accepted.length - room));
      const added = accepted.slice(0, room).map(({ file, content_type }) => {
        const key = `upload-${crypto.randomUUID()}`;
        let preview: string | undefined;
        if (isImage(content_type)) {
          preview = URL.createObjectURL(file);
          previews.current.set(key, preview);
        }
        const item: UploadItem = { key, filename: file.name, content_type, size: file.size, status: "starting", sent: 0, file, ...(preview ? { preview } : {}) };
        return { item, content_type };
      });
      setRefusals(refused);
      if (added.length === 0) return;
      setItems((list) => [...list, ...added.map((a) => a.item)]);
      for (const { item, content_type } of added) void start(item.key, item.file!, content_type);
    },
    [items.length, start],
  );

  const drop = useCallback(
    (key: string) => {
      forget(key);
      setItems((list) => list.filter((item) => item.key !== key));
    },
    [forget],
  );

  const retry = useCallback(
    (key: string) => {
      const item = items.find((i) => i.key === key);
      const check = item?.file ? checkFile(item.file) : undefined;
      if (item?.file && check?.ok) void start(key, item.file, check.content_type);
    },
    [items, start],
  );

  const reset = useCallback(
    (attachments: readonly Attachment[] = []) => {
      for (const key of [...controllers.current.keys(), ...previews.current.keys()]) forget(key);
      setItems(attachments.map(readyItem));
      setRefusals([]);
    },
    [forget],
  );

  const fileIds = useMemo(() => items.flatMap((item) => (item.status === "ready" && item.file_id ? [item.file_id] : [])), [items]);
  const settled = items.every((item) => item.status === "ready");
  return { items, refusals, fileIds, settled, add, cancel: drop, retry, remove: drop, reset };
}
