export const standingRoutes = [
  { method: "GET", path: "/classes/{class_id}/ranking", operation: "getRanking", auth: true },
  { method: "GET", path: "/classes/{class_id}/top-performers", operation: "getTopPerformers", auth: true },
  { method: "GET", path: "/classes/{class_id}/standing", operation: "getStanding", auth: true },
] as const;
