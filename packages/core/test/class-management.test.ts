import { describe, expect, it } from "vitest";
import * as Class from "../src/class/index.ts";
import { ENROLLMENT_CODE_ALPHABET, ENROLLMENT_CODE_LENGTH } from "../src/limits.ts";
import * as Membership from "../src/membership/index.ts";
import * as RateLimit from "../src/ratelimit/index.ts";
import { db } from "../src/table.ts";
import { code, makeAssignment, makeClass, makeUser } from "./factory.ts";

const codeOf = async (class_id: string, teacher: Parameters<typeof Class.get>[1]) => (await Class.get({ class_id }, teacher)).enrollment_code!;

describe("class management", () => {
  it("creates a class with its details and a unique code, shown to teachers only", async () => {
    const teacher = await makeUser();
    const created = await Class.create({ name: " Physics ", section: "Period 2", room: "B12", description: "" }, teacher);
    expect(created).toMatchObject({ name: "Physics", section: "Period 2", room: "B12", description: null, state: "active", stream_policy: "all_members", role: "teacher" });
    expect(created.enrollment_code).toHaveLength(ENROLLMENT_CODE_LENGTH);
    expect([...created.enrollment_code!].every((c) => ENROLLMENT_CODE_ALPHABET.includes(c))).toBe(true);
    const { data: reserved } = await db().entities.enrollmentCode.get({ code: created.enrollment_code! }).go({ consistent: true });
    expect(reserved?.class_id).toBe(created.class_id);

    const student = await makeUser();
    await Class.join({ enrollment_code: created.enrollment_code!.toLowerCase() }, student);
    const seen = await Class.get({ class_id: created.class_id }, student);
    expect(seen.role).toBe("student");
    expect(seen).not.toHaveProperty("enrollment_code");
  });

  it("gives every class its own code", () => {
    const codes = new Set(Array.from({ length: 2000 }, () => Class.newEnrollmentCode()));
    expect(codes.size).toBe(2000);
  });

  it("renames a class and every member's copy of it; lists my classes with role and state", async () => {
    const klass = await makeClass({ students: 3 });
    // Added by email (their membership has no copy revision) or joined by code (it has one).
    const joiner = await makeUser();
    await Class.join({ enrollment_code: await codeOf(klass.class_id, klass.teacher) }, joiner);
    klass.students.push(joiner);
    const updated = await Class.update({ class_id: klass.class_id, name: "Biology 102", section: "B", room: null }, klass.teacher);
    expect(updated).toMatchObject({ name: "Biology 102", section: "B", room: null });
    const { data: copy } = await db().entities.membership.get({ class_id: klass.class_id, user_id: joiner.userId }).go({ consistent: true });
    expect(copy).toMatchObject({ class_name: "Biology 102", class_section: "B", class_state: "active", class_seq: 1 });
    for (const who of [klass.teacher, ...klass.students]) {
      expect((await Class.mine(who)).find((c) => c.class_id === klass.class_id)).toMatchObject({ name: "Biology 102", section: "B", state: "active" });
    }
    // Concurrent renames settle on one name, everywhere.
    await Promise.all(["One", "Two", "Three"].map((name) => Class.update({ class_id: klass.class_id, name }, klass.teacher)));
    const final = (await Class.get({ class_id: klass.class_id }, klass.teacher)).name;
    for (const who of [klass.teacher, ...klass.students]) {
      expect((await Class.mine(who)).find((c) => c.class_id === klass.class_id)?.name).toBe(final);
    }
  });

  it("refuses students and outsiders", async () => {
    const klass = await makeClass({ students: 1 });
    const outsider = await makeUser();
    expect(await code(Class.update({ class_id: klass.class_id, name: "Mine" }, klass.students[0]!))).toBe("class.teacher_only");
    expect(await code(Class.remove({ class_id: klass.class_id }, klass.students[0]!))).toBe("class.teacher_only");
    expect(await code(Class.update({ class_id: klass.class_id, name: "Mine" }, outsider))).toBe("class.not_found");
    expect(await code(Class.remove({ class_id: klass.class_id }, outsider))).toBe("class.not_found");
  });

  it("makes an archived class read-only until it is restored", async () => {
    const klass = await makeClass({ students: 1 });
    await makeAssignment(klass);
    const archived = await Class.update({ class_id: klass.class_id, state: "archived" }, klass.teacher);
    expect(archived.state).toBe("archived");
    expect((await Class.mine(klass.students[0]!))[0]!.state).toBe("archived");
    expect(await code(Class.requireWriter(klass.class_id, klass.students[0]!))).toBe("class.archived");
    expect(await code(makeAssignment(klass))).toBe("class.archived");
    expect(await code(Class.update({ class_id: klass.class_id, name: "Renamed" }, klass.teacher))).toBe("class.archived");
    expect(await code(Class.update({ class_id: klass.class_id, reset_code: true }, klass.teacher))).toBe("class.archived");
    // Not a member: still the same 404 as for any class, archived or not.
    expect(await code(Class.requireWriter(klass.class_id, await makeUser()))).toBe("class.not_found");
    const restored = await Class.update({ class_id: klass.class_id, state: "active", name: "Back" }, klass.teacher);
    expect(restored).toMatchObject({ state: "active", name: "Back" });
    expect(await Class.requireWriter(klass.class_id, klass.students[0]!)).toEqual({ role: "student", stream_policy: "all_members" });
  });

  it("deletes a class for everyone, keeping its item, and frees its code", async () => {
    const klass = await makeClass({ students: 2 });
    const enrollment = await codeOf(klass.class_id, klass.teacher);
    expect(await Class.remove({ class_id: klass.class_id }, klass.teacher)).toEqual({ deleted: true });
    for (const who of [klass.teacher, ...klass.students]) {
      expect(await code(Class.get({ class_id: klass.class_id }, who))).toBe("class.not_found");
      expect((await Class.mine(who)).map((c) => c.class_id)).not.toContain(klass.class_id);
    }
    const { data } = await db().entities.class.get({ class_id: klass.class_id }).go({ consistent: true });
    expect(data?.deleted_by).toBe(klass.teacher.userId);
    expect(await code(Class.join({ enrollment_code: enrollment }, await makeUser()))).toBe("class.code_not_found");
    expect(await code(Class.remove({ class_id: klass.class_id }, klass.teacher))).toBe("class.not_found");
  });

  it("resets the code: the old one stops working", async () => {
    const klass = await makeClass({ students: 0 });
    const old = await codeOf(klass.class_id, klass.teacher);
    const reset = await Class.update({ class_id: klass.class_id, reset_code: true }, klass.teacher);
    expect(reset.enrollment_code).not.toBe(old);
    expect(await code(Class.join({ enrollment_code: old }, await makeUser()))).toBe("class.code_not_found");
    expect((await Class.join({ enrollment_code: reset.enrollment_code! }, await makeUser())).role).toBe("student");
    const { data } = await db().entities.enrollmentCode.get({ code: old }).go({ consistent: true });
    expect(data).toBeNull();
  });
});

describe("joining by code", () => {
  it("joins as a student, idempotently; a teacher of the class cannot", async () => {
    const klass = await makeClass({ students: 0 });
    const enrollment = await codeOf(klass.class_id, klass.teacher);
    const student = await makeUser();
    const [first, second] = await Promise.all([
      Class.join({ enrollment_code: ` ${enrollment.slice(0, 3)}-${enrollment.slice(3)} ` }, student),
      Class.join({ enrollment_code: enrollment }, student),
    ]);
    expect(first.role).toBe("student");
    expect(second.role).toBe("student");
    expect((await Membership.list({ class_id: klass.class_id }, klass.teacher)).filter((m) => m.user_id === student.userId)).toHaveLength(1);
    expect((await Class.mine(student))[0]).toMatchObject({ class_id: klass.class_id, role: "student", state: "active" });
    expect(await code(Class.join({ enrollment_code: enrollment }, klass.teacher))).toBe("class.already_teacher");
  });

  it("answers a wrong, deleted or archived class's code alike, and limits failed attempts per user", async () => {
    const archived = await makeClass({ students: 0 });
    const archivedCode = await codeOf(archived.class_id, archived.teacher);
    await Class.update({ class_id: archived.class_id, state: "archived" }, archived.teacher);
    const guesser = await makeUser();
    const unknown = async () => {
      for (;;) {
        const candidate = Class.newEnrollmentCode();
        const { data } = await db().entities.enrollmentCode.get({ code: candidate }).go();
        if (!data) return candidate;
      }
    };
    const wrong = await Class.join({ enrollment_code: await unknown() }, guesser).catch((e: Error) => e);
    const shut = await Class.join({ enrollment_code: archivedCode }, guesser).catch((e: Error) => e);
    expect(wrong).toMatchObject({ code: "class.code_not_found" });
    expect(shut).toMatchObject({ code: "class.code_not_found", message: (wrong as Error).message });
    expect(await code(Class.join({ enrollment_code: "O0I1L" }, guesser))).toBe("input.invalid");

    const open = await makeClass({ students: 0 });
    const openCode = await codeOf(open.class_id, open.teacher);
    // Successful joins are given back; failures count, in parallel too.
    expect((await Class.join({ enrollment_code: openCode }, guesser)).role).toBe("student");
    const guesses = await Promise.all(Array.from({ length: RateLimit.LIMITS.join.max + 2 }, async () => code(Class.join({ enrollment_code: await unknown() }, guesser))));
    expect(guesses.filter((c) => c === "class.code_not_found")).toHaveLength(RateLimit.LIMITS.join.max - 2);
    expect(guesses.filter((c) => c === "rate.limited")).toHaveLength(4);
    const limited = await Class.join({ enrollment_code: openCode }, guesser).catch((e: { retryAfterSeconds?: number; code?: string }) => e);
    expect(limited).toMatchObject({ code: "rate.limited" });
    expect((limited as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
  });
});
