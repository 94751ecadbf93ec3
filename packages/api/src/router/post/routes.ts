export const postRoutes = [
  { method: "GET", path: "/classes/{class_id}/posts", operation: "listPosts", auth: true },
  { method: "POST", path: "/classes/{class_id}/posts", operation: "createPost", auth: true },
] as const;
