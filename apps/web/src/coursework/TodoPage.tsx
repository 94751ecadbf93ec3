/**
 * A student's To do across their active classes: work still to do (by due date), work past due
 * and not turned in, and work done. Built from each class's assignments and the student's own
 * submission of each (the calls are batched).
 */
import { useQueries, useQuery } from "@tanstack/react-query";
import { assignmentHref, homeHref } from "../route.ts";
import { useTRPC } from "../trpc.ts";
import { describeError } from "../ui/errors.ts";
import { Empty, ErrorState, Loading } from "../ui/states.tsx";
import { type Assignment, type Submission, type TodoGroup, byDueDate, dueLabel, gradeLabel, studentStatus, todoGroup } from "./status.ts";

const GROUPS: { group: TodoGroup; title: string; empty: string }[] = [
  { group: "assigned", title: "Assigned", empty: "Nothing to do right now." },
  { group: "missing", title: "Missing", empty: "No missing work." },
  { group: "done", title: "Done", empty: "Nothing turned in yet." },
];

interface Item {
  assignment: Assignment;
  className: string;
  submission: Submission;
}

export function TodoPage() {
  const trpc = useTRPC();
  const classes = useQuery(trpc.class.mine.queryOptions());
  const mine = (classes.data ?? []).filter((c) => c.role === "student" && c.state === "active");
  const lists = useQueries({
    queries: mine.map((c) => trpc.assignment.list.queryOptions({ class_id: c.class_id, limit: 50 })),
  });
  const assignments = lists.flatMap((list, i) => (list.data?.assignments ?? []).map((a) => ({ assignment: a, className: mine[i]?.name ?? "" })));
  const submissions = useQueries({
    queries: assignments.map(({ assignment }) => trpc.submission.list.queryOptions({ assignment_id: assignment.assignment_id })),
  });
  const pending = classes.isPending || lists.some((q) => q.isPending) || submissions.some((q) => q.isPending);
  const failed = classes.error ?? lists.find((q) => q.isError)?.error ?? submissions.find((q) => q.isError)?.error;

  const groups: Record<TodoGroup, Item[]> = { assigned: [], missing: [], done: [] };
  assignments.forEach((entry, i) => {
    const submission = submissions[i]?.data?.submissions[0];
    if (submission) groups[todoGroup(submission)].push({ ...entry, submission });
  });
  for (const list of Object.values(groups)) list.sort((a, b) => byDueDate(a.assignment, b.assignment));
  groups.done.reverse();

  return (
    <main className="page" aria-labelledby="todo-title">
      <a className="back" href={homeHref}>
        <span aria-hidden="true">←</span> My classes
      </a>
      <div className="page-head">
        <h1 id="todo-title">To do</h1>
      </div>
      {pending ? (
        <Loading label="Gathering your work…" />
      ) : failed ? (
        <ErrorState message={describeError(failed)} onRetry={() => void classes.refetch()} />
      ) : mine.length === 0 ? (
        <Empty title="No classes as a student">Work from the classes you take shows up here.</Empty>
      ) : (
        GROUPS.map(({ group, title, empty }) => (
          <section key={group} className="card stack" aria-labelledby={`todo-${group}`}>
            <h2 id={`todo-${group}`}>
              {title} <span className="muted">({groups[group].length})</span>
            </h2>
            {groups[group].length === 0 ? (
              <p className="muted">{empty}</p>
            ) : (
              <ul className="assignment-list" aria-label={title}>
                {groups[group].map(({ assignment, className, submission }) => (
                  <li key={assignment.assignment_id}>
                    <a className="assignment-row" href={assignmentHref(assignment.class_id, assignment.assignment_id)}>
                      <span className="assignment-main">
                        <span className="assignment-title">{assignment.title}</span>
                        <span className="muted small">
                          {className} · {dueLabel(assignment.due_at)}
                        </span>
                      </span>
                      <span className={`status status-${submission.missing ? "missing" : submission.state}`}>
                        {submission.assigned_grade !== null ? gradeLabel(submission.assigned_grade, assignment.max_points) : studentStatus(submission)}
                      </span>
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ))
      )}
    </main>
  );
}
