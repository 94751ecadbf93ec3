export const memberRoutes = [
  { method: "GET", path: "/classes/{class_id}/members", operation: "listMembers", auth: true },
  { method: "POST", path: "/classes/{class_id}/members", operation: "addMember", auth: true },
  { method: "DELETE", path: "/classes/{class_id}/members/{user_id}", operation: "removeMember", auth: true },
] as const;
