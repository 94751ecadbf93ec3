export const memberRoutes = [
  { method: "GET", path: "/classes/{class_id}/members", operation: "listMembers", auth: true },
  { method: "POST", path: "/classes/{class_id}/members", operation: "addMember", auth: true },
  { method: "DELETE", path: "/classes/{class_id}/members/{user_id}", operation: "removeMember", auth: true },
  { method: "PATCH", path: "/classes/{class_id}/members/{user_id}", operation: "setMemberRole", auth: true },
  { method: "PUT", path: "/classes/{class_id}/members/{user_id}/mute", operation: "muteMember", auth: true },
  { method: "GET", path: "/classes/{class_id}/invitations", operation: "listInvitations", auth: true },
  { method: "DELETE", path: "/classes/{class_id}/invitations/{email}", operation: "cancelInvitation", auth: true },
] as const;
