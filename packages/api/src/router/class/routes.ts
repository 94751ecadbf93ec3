export const classRoutes = [
  { method: "GET", path: "/classes", operation: "listMyClasses", auth: true },
  { method: "POST", path: "/classes", operation: "createClass", auth: true },
  { method: "POST", path: "/classes/join", operation: "joinClass", auth: true },
  { method: "GET", path: "/classes/{class_id}", operation: "getClass", auth: true },
  { method: "PATCH", path: "/classes/{class_id}", operation: "updateClass", auth: true },
  { method: "DELETE", path: "/classes/{class_id}", operation: "deleteClass", auth: true },
] as const;
