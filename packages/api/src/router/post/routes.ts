export const postRoutes = [
  { method: "GET", path: "/classes/{class_id}/posts", operation: "listPosts", auth: true },
  { method: "POST", path: "/classes/{class_id}/posts", operation: "createPost", auth: true },
  { method: "GET", path: "/posts/{post_id}", operation: "getPost", auth: true },
  // Moderation.
  { method: "PATCH", path: "/posts/{post_id}", operation: "editPost", auth: true },
  { method: "DELETE", path: "/posts/{post_id}", operation: "removePost", auth: true },
  { method: "PUT", path: "/posts/{post_id}/lock", operation: "lockPost", auth: true },
  { method: "PUT", path: "/posts/{post_id}/pin", operation: "pinPost", auth: true },
] as const;
