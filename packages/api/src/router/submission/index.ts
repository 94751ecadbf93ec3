import * as Submission from "@classroom/core/submission";
import type { TRPCRouterRecord } from "@trpc/server";
import { op, type Operations } from "../../rest/operation.ts";
import { authedProcedure, writeProcedure } from "../../trpc.ts";
import type { submissionRoutes } from "./routes.ts";

export const procedures = {
  list: authedProcedure.input(Submission.list.schema).query(({ ctx, input }) => Submission.list(input, ctx.actor)),
  turnIn: writeProcedure.input(Submission.turnIn.schema).mutation(({ ctx, input }) => Submission.turnIn(input, ctx.actor)),
  reclaim: writeProcedure.input(Submission.reclaim.schema).mutation(({ ctx, input }) => Submission.reclaim(input, ctx.actor)),
  grade: writeProcedure.input(Submission.grade.schema).mutation(({ ctx, input }) => Submission.grade(input, ctx.actor)),
  return: writeProcedure.input(Submission.giveBack.schema).mutation(({ ctx, input }) => Submission.giveBack(input, ctx.actor)),
} satisfies TRPCRouterRecord;

export const operations = {
  listSubmissions: op({
    summary: "Submissions of an assignment",
    description: "Teachers: one per student of the class, including those who never opened it (state `new`). Students: their own, without draft grades.",
    params: Submission.list.schema,
    response: Submission.list.output,
    run: (caller, { params }) => caller.submission.list(params),
  }),
  turnIn: op({
    summary: "Turn in your work (students)",
    description: "From `new`, `reclaimed` or `returned`; `late` when after the due time. Already turned in: 409 `submission.already_turned_in`.",
    params: Submission.turnIn.schema.pick({ assignment_id: true }),
    body: Submission.turnIn.schema.omit({ assignment_id: true }),
    response: Submission.turnIn.output,
    run: (caller, { params, body }) => caller.submission.turnIn({ ...body, assignment_id: params.assignment_id }),
  }),
  reclaimSubmission: op({
    summary: "Unsubmit your work to change it (students)",
    description: "Only turned-in work that was not returned yet: otherwise 409 `submission.not_turned_in`.",
    params: Submission.reclaim.schema,
    response: Submission.reclaim.output,
    run: (caller, { params }) => caller.submission.reclaim(params),
  }),
  gradeSubmission: op({
    summary: "Set a student's draft and/or assigned grade (teachers)",
    description:
      "Grades are 0 to the assignment's `max_points`, with at most 2 decimals; `null` clears one. The draft grade stays private until the work is returned; the assigned grade is what the student sees.",
    params: Submission.giveBack.schema,
    body: Submission.GradeBody,
    response: Submission.grade.output,
    run: (caller, { params, body }) => caller.submission.grade({ ...body, submission_id: params.submission_id }),
  }),
  returnSubmission: op({
    summary: "Return work to the student (teachers)",
    description: "The draft grade, if any, becomes the assigned grade the student sees.",
    params: Submission.giveBack.schema,
    response: Submission.giveBack.output,
    run: (caller, { params }) => caller.submission.return(params),
  }),
} satisfies Operations<typeof submissionRoutes>;
