export const fileRoutes = [
  // Two-step upload: ask for a presigned POST, send the file to S3, then complete.
  { method: "POST", path: "/files", operation: "createFile", auth: true },
  { method: "POST", path: "/files/{file_id}/complete", operation: "completeFile", auth: true },
  { method: "GET", path: "/files/{file_id}", operation: "downloadFile", auth: true },
] as const;
