export const classRoutes = [
  { method: "GET", path: "/classes", operation: "listMyClasses", auth: true },
  { method: "POST", path: "/classes", operation: "createClass", auth: true },
  { method: "GET", path: "/classes/{class_id}", operation: "getClass", auth: true },
] as const;
