/**
 * One assignment on its own page: what it asks and when it is due; for a teacher its controls
 * (edit, publish, delete) and every student's work to grade and return; for a student their
 * own work to turn in or take back, and their grade once it is returned.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Attachments } from "../files/Attachments.tsx";
import { AssignmentRecommendations } from "../recommendations/RelatedPanel.tsx";
import { navigate, sectionHref } from "../route.ts";
import { LinkedText } from "../text/LinkedText.tsx";
import { useTRPC } from "../trpc.ts";
import { ConfirmDialog } from "../ui/ConfirmDialog.tsx";
import { describeError, isNotFound } from "../ui/errors.ts";
import { ErrorState, Loading } from "../ui/states.tsx";
import { AssignmentForm } from "./AssignmentForm.tsx";
import { GradingView } from "./GradingView.tsx";
import { dueLabel, pointsLabel } from "./status.ts";
import { YourWork } from "./YourWork.tsx";

export function AssignmentPage({
  classId,
  assignmentId,
  isTeacher,
  archived,
}: {
  classId: string;
  assignmentId: string;
  isTeacher: boolean;
  archived: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const assignment = useQuery(trpc.assignment.byId.queryOptions({ assignment_id: assignmentId }));
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.assignment.pathFilter()),
      queryClient.invalidateQueries(trpc.gradebook.pathFilter()),
    ]);
  const remove = useMutation(
    trpc.assignment.remove.mutationOptions({
      onSuccess: async () => {
        navigate(sectionHref(classId, "classwork"));
        queryClient.removeQueries(trpc.assignment.byId.queryFilter({ assignment_id: assignmentId }));
        await refresh();
      },
    }),
  );
  const publish = useMutation(
    trpc.assignment.update.mutationOptions({
      onSuccess: async () => {
        setSaved("Published: students can see it now.");
        await refresh();
      },
    }),
  );
  const backLink = (
    <a className="back" href={sectionHref(classId, "classwork")}>
      <span aria-hidden="true">←</span> Classwork
    </a>
  );

  if (assignment.isPending || assignment.isError) {
    return (
      <section className="pane section-pane" aria-label="Assignment">
        <div className="pane-head">{backLink}</div>
        <div className="section-scroll">
          {assignment.isPending ? (
            <Loading label="Opening the assignment…" />
          ) : isNotFound(assignment.error) ? (
            <ErrorState message="This assignment was deleted, or isn't available to you." />
          ) : (
            <ErrorState message={describeError(assignment.error)} onRetry={() => void assignment.refetch()} />
          )}
        </div>
      </section>
    );
  }

  const a = assignment.data;
  const canChange = isTeacher && !archived;
  const actionError = publish.error ?? remove.error;
  return (
    <section className="pane section-pane" aria-labelledby="assignment-title">
      <div className="pane-head">{backLink}</div>
      <div className="section-scroll">
        <article className="card assignment-detail stack">
          <div className="assignment-detail-head">
            <h2 id="assignment-title">{a.title}</h2>
            {a.state === "draft" && <span className="badge badge-draft">Draft</span>}
          </div>
          <p className="muted">
            {dueLabel(a.due_at)} · {pointsLabel(a.max_points)}
          </p>
          {a.description && (
            <p className="assignment-description">
              <LinkedText text={a.description} />
            </p>
          )}
          <Attachments attachments={a.attachments} label="Materials" />
          {canChange && !editing && (
            <div className="assignment-actions">
              <button type="button" className="button small" onClick={() => setEditing(true)}>
                Edit
              </button>
              {a.state === "draft" && (
                <button
                  type="button"
                  className="button small primary"
                  disabled={publish.isPending}
                  onClick={() => publish.mutate({ assignment_id: a.assignment_id, state: "published" })}
                >
                  {publish.isPending ? "Publishing…" : "Publish"}
                </button>
              )}
              <button type="button" className="button small ghost danger-link" onClick={() => setDeleting(true)}>
                Delete
              </button>
            </div>
          )}
          <p className="success" role="status" aria-live="polite">
            {saved ?? ""}
          </p>
          {actionError && (
            <p className="error" role="alert">
              {describeError(actionError)}
            </p>
          )}
        </article>
        {editing && (
          <AssignmentForm
            classId={classId}
            assignment={a}
            onCancel={() => setEditing(false)}
            onDone={() => {
              setEditing(false);
              setSaved("Changes saved.");
            }}
          />
        )}
        {isTeacher ? <GradingView assignment={a} archived={archived} /> : <YourWork assignment={a} archived={archived} />}
        <AssignmentRecommendations classId={classId} assignmentId={a.assignment_id} />
      </div>
      <ConfirmDialog
        open={deleting}
        title="Delete this assignment?"
        body={`“${a.title}” and all the work and grades turned in for it are deleted for everyone.`}
        confirmLabel="Delete assignment"
        onCancel={() => setDeleting(false)}
        onConfirm={() => {
          setDeleting(false);
          remove.mutate({ assignment_id: a.assignment_id });
        }}
      />
    </section>
  );
}
