import { MAX_SUBMISSION_TEXT_LENGTH } from "@classroom/client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useState } from "react";
import { LengthHint } from "../compose/LengthHint.tsx";
import { lengthState } from "../compose/length.ts";
import { Attachments } from "../files/Attachments.tsx";
import { FileUploader } from "../files/FileUploader.tsx";
import { useUploads } from "../files/useUploads.ts";
import { LinkedText } from "../text/LinkedText.tsx";
import { useTRPC } from "../trpc.ts";
import { describeError } from "../ui/errors.ts";
import { ErrorState, Loading, Time } from "../ui/states.tsx";
import { type Assignment, type Submission, gradeLabel, studentStatus } from "./status.ts";

/** A student's own work on an assignment: write and turn in, take back to change, and the returned grade. */
export function YourWork({ assignment, archived }: { assignment: Assignment; archived: boolean }) {
  const trpc = useTRPC();
  const mine = useQuery(trpc.submission.list.queryOptions({ assignment_id: assignment.assignment_id }));
  const submission = mine.data?.submissions[0];

  return (
    <section className="card your-work stack" aria-labelledby="your-work-title">
      <div className="your-work-head">
        <h3 id="your-work-title">Your work</h3>
        {submission && <span className={`status status-${submission.missing ? "missing" : submission.state}`}>{studentStatus(submission)}</span>}
      </div>
      {mine.isPending ? (
        <Loading label="Loading your work…" />
      ) : mine.isError ? (
        <ErrorState message={describeError(mine.error)} onRetry={() => void mine.refetch()} />
      ) : submission ? (
        <WorkForm assignment={assignment} submission={submission} archived={archived} />
      ) : (
        <ErrorState message="Your work on this assignment could not be found." />
      )}
    </section>
  );
}

function WorkForm({ assignment, submission, archived }: { assignment: Assignment; submission: Submission; archived: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [text, setText] = useState(submission.text ?? "");
  const [result, setResult] = useState("");
  const length = lengthState(text, MAX_SUBMISSION_TEXT_LENGTH);
  // The files turned in before come back with the work when it is taken back.
  const files = useUploads({ classId: assignment.class_id, purpose: "submission", initial: submission.attachments });
  const turnedIn = submission.state === "turned_in";
  const grade = submission.assigned_grade;

  // Work taken back elsewhere (another tab) comes back with its text and files. Once per turn-in,
  // not on every refetch (each brings a new attachments array).
  const { reset } = files;
  useEffect(() => {
    if (submission.state !== "turned_in") return;
    setText(submission.text ?? "");
    reset(submission.attachments);
  }, [submission.state, submission.text, submission.turned_in_at, reset]);

  const settle = async (saved: Submission) => {
    queryClient.setQueryData(trpc.submission.list.queryKey({ assignment_id: assignment.assignment_id }), { submissions: [saved] });
    await queryClient.invalidateQueries(trpc.submission.list.queryFilter({ assignment_id: assignment.assignment_id }));
  };
  const turnIn = useMutation(
    trpc.submission.turnIn.mutationOptions({
      onSuccess: async (saved) => {
        setResult(saved.late ? "Turned in late." : "Turned in.");
        await settle(saved);
      },
    }),
  );
  const reclaim = useMutation(
    trpc.submission.reclaim.mutationOptions({
      onSuccess: async (saved) => {
        setResult("Unsubmitted. Change your work and turn it in again.");
        await settle(saved);
      },
    }),
  );
  const busy = turnIn.isPending || reclaim.isPending;
  const error = turnIn.error ?? reclaim.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || length.over || archived || !files.settled) return;
    turnIn.mutate({ assignment_id: assignment.assignment_id, text, file_ids: files.fileIds });
  }

  return (
    <>
      {grade !== null && (
        <p className="your-grade">
          Grade: <strong>{gradeLabel(grade, assignment.max_points)}</strong>
        </p>
      )}
      {submission.turned_in_at && (
        <p className="muted small">
          Turned in <Time iso={submission.turned_in_at} />
          {submission.late ? " (late)" : ""}
          {submission.returned_at && (
            <>
              {" "}
              · returned <Time iso={submission.returned_at} />
            </>
          )}
        </p>
      )}
      {turnedIn ? (
        <>
          {submission.text ? (
            <p className="work-text">
              <LinkedText text={submission.text} />
            </p>
          ) : (
            submission.attachments.length === 0 && <p className="muted">Turned in without text.</p>
          )}
          <Attachments attachments={submission.attachments} label="Your files" />
          {!archived && (
            <div className="form-actions">
              <button type="button" className="button" disabled={busy} onClick={() => reclaim.mutate({ assignment_id: assignment.assignment_id })}>
                {reclaim.isPending ? "Unsubmitting…" : "Unsubmit"}
              </button>
            </div>
          )}
        </>
      ) : archived ? (
        <p className="muted">This class is archived: work can no longer be turned in.</p>
      ) : (
        <form className="stack" onSubmit={submit}>
          <label className="field">
            <span>Your answer (optional)</span>
            <textarea rows={5} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={length.over} aria-describedby={`${id}-count`} />
          </label>
          <LengthHint id={`${id}-count`} state={length} what="answer" />
          <FileUploader uploads={files} legend="Your files (optional)" disabled={busy} />
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={busy || length.over || !files.settled}>
              {turnIn.isPending ? "Turning in…" : submission.state === "returned" ? "Turn in again" : "Turn in"}
            </button>
          </div>
        </form>
      )}
      <p className="success" role="status" aria-live="polite">
        {result}
      </p>
      {error && (
        <p className="error" role="alert">
          {describeError(error)}
        </p>
      )}
    </>
  );
}
