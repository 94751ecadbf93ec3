import { describe, expect, it } from "vitest";
import { DEMO_USERS, seedDemo } from "../src/seed.ts";
import { call, stack } from "./support.ts";
import { signIn } from "@classroom/local-services/cognito";

describe("demo seed", () => {
  it("gives the demo class two assignments, one graded and returned to Alex, and can run again", async () => {
    const first = await seedDemo(stack.cognitoEndpoint, stack.pool);
    const again = await seedDemo(stack.cognitoEndpoint, stack.pool);
    expect(again.class_id).toBe(first.class_id);
    const token = async (email: string) => (await signIn(stack.cognitoEndpoint, stack.pool, email, first.users.teacher.password)).accessToken;
    const alex = await token(DEMO_USERS.student1.email);
    const sam = await token(DEMO_USERS.student2.email);
    const { body } = await call("GET", `/classes/${first.class_id}/assignments`, { token: alex });
    expect(body.assignments.map((a: { title: string }) => a.title)).toEqual(["Lab report: cell structure", "Photosynthesis worksheet"]);
    const lab = body.assignments[0].assignment_id;
    expect((await call("GET", `/assignments/${lab}/submissions`, { token: alex })).body.submissions).toEqual([
      expect.objectContaining({ state: "returned", assigned_grade: 92 }),
    ]);
    expect((await call("GET", `/assignments/${lab}/submissions`, { token: sam })).body.submissions).toEqual([
      expect.objectContaining({ state: "new", assigned_grade: null }),
    ]);
  });
});
