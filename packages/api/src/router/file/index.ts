import * as File from "@classroom/core/file";
import type { TRPCRouterRecord } from "@trpc/server";
import { op, type Operations } from "../../rest/operation.ts";
import { authedProcedure, writeProcedure } from "../../trpc.ts";
import type { fileRoutes } from "./routes.ts";

export const procedures = {
  create: writeProcedure.input(File.create.schema).mutation(({ ctx, input }) => File.create(input, ctx.actor)),
  complete: writeProcedure.input(File.complete.schema).mutation(({ ctx, input }) => File.complete(input, ctx.actor)),
  download: authedProcedure.input(File.download.schema).query(({ ctx, input }) => File.download(input, ctx.actor)),
} satisfies TRPCRouterRecord;

export const operations = {
  createFile: op({
    summary: "Start an upload: a presigned POST straight to S3",
    description: [
      "Step one of two. Answers an S3 presigned POST for exactly this file: send a `multipart/form-data` POST to `upload.url`",
      "with every entry of `upload.fields` as a form field, then the file itself as the field `file` (last). The signed policy",
      "pins the object key, the `Content-Type` and the size, and expires after 15 minutes; S3 refuses anything else.",
      "Then call `POST /files/{file_id}/complete`.",
      "",
      "Materials are for teachers, submitted work for students, post attachments for whoever may post in the class.",
      "Accepted: PDF, PNG, JPEG, GIF, WebP, Word, Excel, PowerPoint, plain text and zip, at most 25 MB.",
    ].join("\n"),
    status: 201,
    body: File.create.schema,
    response: File.create.output,
    run: (caller, { body }) => caller.file.create(body),
  }),
  completeFile: op({
    summary: "Finish an upload",
    description: [
      "Step two. The API reads the uploaded object back: if its size and type are those declared, the file becomes `ready`",
      "(and can be attached and downloaded); otherwise the object is deleted and the answer is 422 `file.mismatch`.",
      "409 `file.not_uploaded` while nothing was uploaded. Completing a ready file again answers the same file.",
      "Only the uploader completes a file.",
    ].join("\n"),
    params: File.complete.schema,
    response: File.complete.output,
    errors: [422],
    run: (caller, { params }) => caller.file.complete(params),
  }),
  downloadFile: op({
    summary: "A download link for a file",
    description: [
      "Answers a presigned GET valid 5 minutes (JSON, not the file): fetching `url` returns the bytes with",
      "`Content-Disposition: attachment` and the file's name. Members of the class may read its files; a submission's files",
      "only the student who uploaded them and the class's teachers. 409 `file.not_ready` before the upload was completed.",
    ].join("\n"),
    params: File.download.schema,
    response: File.download.output,
    errors: [409],
    run: (caller, { params }) => caller.file.download(params),
  }),
} satisfies Operations<typeof fileRoutes>;
