export const commentRoutes = [
  { method: "GET", path: "/posts/{post_id}/comments", operation: "listComments", auth: true },
  { method: "POST", path: "/posts/{post_id}/comments", operation: "createComment", auth: true },
  // The fourth documented path of the contract.
  { method: "DELETE", path: "/comments/{id}", operation: "deleteComment", auth: true },
  { method: "PATCH", path: "/comments/{id}", operation: "editComment", auth: true },
] as const;
