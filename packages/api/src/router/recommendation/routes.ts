export const recommendationRoutes = [
  { method: "GET", path: "/items/{item_type}/{item_id}/similar", operation: "similarItems", auth: true },
  { method: "GET", path: "/classes/{class_id}/recommendations", operation: "listRecommendations", auth: true },
  { method: "POST", path: "/interactions", operation: "recordInteraction", auth: true },
] as const;
