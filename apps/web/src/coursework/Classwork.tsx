/**
 * A class's Classwork: its assignments by due date (students see the published ones), a
 * teacher's form for a new one, and each assignment on its own page (see AssignmentPage).
 */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { assignmentHref } from "../route.ts";
import { MyStanding } from "../grades/MyStanding.tsx";
import { useTRPC } from "../trpc.ts";
import { describeError } from "../ui/errors.ts";
import { Empty, ErrorState, Loading } from "../ui/states.tsx";
import { AssignmentForm } from "./AssignmentForm.tsx";
import { AssignmentPage } from "./AssignmentPage.tsx";
import { type Assignment, dueLabel, gradeLabel, pointsLabel, studentStatus } from "./status.ts";

const PAGE_SIZE = 50;

export function Classwork({
  classId,
  isTeacher,
  archived,
  assignmentId,
}: {
  classId: string;
  isTeacher: boolean;
  archived: boolean;
  /** The assignment open on its own page, if any. */
  assignmentId: string | undefined;
}) {
  if (assignmentId) return <AssignmentPage key={assignmentId} classId={classId} assignmentId={assignmentId} isTeacher={isTeacher} archived={archived} />;
  return <AssignmentList classId={classId} isTeacher={isTeacher} archived={archived} />;
}

function AssignmentList({ classId, isTeacher, archived }: { classId: string; isTeacher: boolean; archived: boolean }) {
  const trpc = useTRPC();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const assignments = useInfiniteQuery(
    trpc.assignment.list.infiniteQueryOptions({ class_id: classId, limit: PAGE_SIZE }, { getNextPageParam: (last) => last.cursor ?? undefined }),
  );
  const list = assignments.data?.pages.flatMap((page) => page.assignments) ?? [];

  return (
    <section className="pane section-pane" aria-labelledby="classwork-title">
      <div className="pane-head">
        <h2 id="classwork-title">Classwork</h2>
        {isTeacher && !archived && !creating && (
          <button type="button" className="button primary small" onClick={() => setCreating(true)}>
            New assignment
          </button>
        )}
      </div>
      <div className="section-scroll">
        <p className="visually-hidden" role="status" aria-live="polite">
          {created ?? ""}
        </p>
        {!isTeacher && <MyStanding classId={classId} />}
        {creating && (
          <AssignmentForm
            classId={classId}
            onCancel={() => setCreating(false)}
            onDone={(saved) => {
              setCreating(false);
              setCreated(`${saved.state === "draft" ? "Draft saved" : "Assigned"}: ${saved.title}`);
            }}
          />
        )}
        {assignments.isPending ? (
          <Loading label="Loading classwork…" />
        ) : assignments.isError ? (
          <ErrorState message={describeError(assignments.error)} onRetry={() => void assignments.refetch()} />
        ) : list.length === 0 ? (
          <Empty title="No classwork yet">{isTeacher ? "Add an assignment for your students." : "Your teacher's assignments will appear here."}</Empty>
        ) : (
          <>
            <ul className="assignment-list" aria-label="Assignments">
              {list.map((assignment) => (
                <li key={assignment.assignment_id}>
                  <AssignmentRow assignment={assignment} isTeacher={isTeacher} />
                </li>
              ))}
            </ul>
            {assignments.hasNextPage && (
              <button type="button" className="button ghost wide" onClick={() => void assignments.fetchNextPage()} disabled={assignments.isFetchingNextPage}>
                {assignments.isFetchingNextPage ? "Loading…" : "Show more"}
              </button>
            )}
          </>
        )}
      </div>
    </section>
  );
}

function AssignmentRow({ assignment, isTeacher }: { assignment: Assignment; isTeacher: boolean }) {
  return (
    <a className="assignment-row" href={assignmentHref(assignment.class_id, assignment.assignment_id)}>
      <span className="assignment-icon" aria-hidden="true">
        ✎
      </span>
      <span className="assignment-main">
        <span className="assignment-title">{assignment.title}</span>
        <span className="muted small">
          {dueLabel(assignment.due_at)} · {pointsLabel(assignment.max_points)}
        </span>
      </span>
      {assignment.state === "draft" && <span className="badge badge-draft">Draft</span>}
      {!isTeacher && <MyStatus assignment={assignment} />}
    </a>
  );
}

/** A student's own state of the work, beside the assignment in the list. */
function MyStatus({ assignment }: { assignment: Assignment }) {
  const trpc = useTRPC();
  const mine = useQuery(trpc.submission.list.queryOptions({ assignment_id: assignment.assignment_id }));
  const submission = mine.data?.submissions[0];
  if (!submission) return null;
  const grade = submission.assigned_grade;
  return (
    <span className={`status status-${submission.missing ? "missing" : submission.state}`}>
      {grade !== null ? gradeLabel(grade, assignment.max_points) : studentStatus(submission)}
    </span>
  );
}
