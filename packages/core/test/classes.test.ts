import { describe, expect, it } from "vitest";
import * as Class from "../src/class/index.ts";
import * as Membership from "../src/membership/index.ts";
import { code, makeClass, makeUser } from "./factory.ts";

describe("classes and memberships", () => {
  it("makes the creator the teacher and lists the class among theirs", async () => {
    const teacher = await makeUser({ name: "Mr Creator" });
    const created = await Class.create({ name: "  Chemistry  " }, teacher);
    expect(created).toMatchObject({ name: "Chemistry", role: "teacher" });
    expect(await Class.mine(teacher)).toEqual([{ class_id: created.class_id, name: "Chemistry", section: null, role: "teacher", state: "active" }]);
    expect(await Membership.list({ class_id: created.class_id }, teacher)).toMatchObject([{ user_id: teacher.userId, role: "teacher" }]);
  });

  it("lets a teacher add and remove members by email; students cannot", async () => {
    const { class_id, teacher, students } = await makeClass({ students: 1 });
    const newcomer = await makeUser();
    expect(await code(Membership.add({ class_id, email: newcomer.email!, role: "student" }, students[0]!))).toBe("class.teacher_only");
    expect(await code(Class.get({ class_id }, newcomer))).toBe("class.not_found");

    await Membership.add({ class_id, email: newcomer.email!.toUpperCase(), role: "student" }, teacher);
    expect((await Class.get({ class_id }, newcomer)).role).toBe("student");
    expect((await Class.mine(newcomer)).map((c) => c.class_id)).toEqual([class_id]);

    await Membership.remove({ class_id, user_id: newcomer.userId }, teacher);
    expect(await code(Class.get({ class_id }, newcomer))).toBe("class.not_found");
    expect(await code(Membership.remove({ class_id, user_id: teacher.userId }, teacher))).toBe("membership.remove_self");
  });

  it("invites unknown emails, and refuses malformed ones and blank class names", async () => {
    const { class_id, teacher } = await makeClass();
    expect((await Membership.add({ class_id, email: "nobody@school.test", role: "student" }, teacher)).status).toBe("invited");
    expect(await code(Membership.add({ class_id, email: "not-an-email", role: "student" }, teacher))).toBe("input.invalid");
    expect(await code(Membership.add({ class_id, email: "a@b.co", role: "admin" as "student" }, teacher))).toBe("input.invalid");
    expect(await code(Class.create({ name: "   " }, teacher))).toBe("input.invalid");
  });
});
