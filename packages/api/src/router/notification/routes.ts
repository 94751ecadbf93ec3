export const notificationRoutes = [
  { method: "GET", path: "/notifications", operation: "listNotifications", auth: true },
  { method: "POST", path: "/notifications/read", operation: "markNotificationsRead", auth: true },
  { method: "GET", path: "/notifications/summary", operation: "getInboxSummary", auth: true },
  { method: "GET", path: "/notifications/preferences", operation: "getNotificationPreferences", auth: true },
  { method: "PUT", path: "/notifications/preferences", operation: "setNotificationPreferences", auth: true },
] as const;
