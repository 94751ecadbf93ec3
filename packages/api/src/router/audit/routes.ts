export const auditRoutes = [
  { method: "GET", path: "/classes/{class_id}/audit", operation: "listAuditEvents", auth: true },
  { method: "GET", path: "/classes/{class_id}/stats", operation: "getClassStats", auth: true },
] as const;
