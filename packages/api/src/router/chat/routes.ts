/** The chat's REST routes: the four documented paths of the contract (three of them here). */
export const chatRoutes = [
  { method: "GET", path: "/chat/messages/{class_id}", operation: "listMessages", auth: true },
  { method: "POST", path: "/chat/messages", operation: "sendMessage", auth: true },
  { method: "PUT", path: "/chat/messages/{id}/reactions", operation: "toggleReaction", auth: true },
  // Moderation.
  { method: "PATCH", path: "/messages/{message_id}", operation: "editMessage", auth: true },
  { method: "DELETE", path: "/messages/{message_id}", operation: "removeMessage", auth: true },
  // Read markers (unread counts).
  { method: "PUT", path: "/classes/{class_id}/read", operation: "markChatRead", auth: true },
] as const;
