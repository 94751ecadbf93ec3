export const gradebookRoutes = [{ method: "GET", path: "/classes/{class_id}/gradebook", operation: "getGradebook", auth: true }] as const;
