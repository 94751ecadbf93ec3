export const submissionRoutes = [
  { method: "GET", path: "/assignments/{assignment_id}/submissions", operation: "listSubmissions", auth: true },
  { method: "POST", path: "/assignments/{assignment_id}/turn-in", operation: "turnIn", auth: true },
  { method: "POST", path: "/assignments/{assignment_id}/reclaim", operation: "reclaimSubmission", auth: true },
  { method: "PUT", path: "/submissions/{submission_id}/grade", operation: "gradeSubmission", auth: true },
  { method: "POST", path: "/submissions/{submission_id}/return", operation: "returnSubmission", auth: true },
] as const;
