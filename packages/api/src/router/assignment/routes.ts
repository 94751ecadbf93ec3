export const assignmentRoutes = [
  { method: "GET", path: "/classes/{class_id}/assignments", operation: "listAssignments", auth: true },
  { method: "POST", path: "/classes/{class_id}/assignments", operation: "createAssignment", auth: true },
  { method: "GET", path: "/assignments/{assignment_id}", operation: "getAssignment", auth: true },
  { method: "PATCH", path: "/assignments/{assignment_id}", operation: "updateAssignment", auth: true },
  { method: "DELETE", path: "/assignments/{assignment_id}", operation: "deleteAssignment", auth: true },
] as const;
