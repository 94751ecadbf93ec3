import { describe, expect, it } from "vitest";
import * as Chat from "../src/chat/index.ts";
import { newId } from "../src/ids.ts";
import { db } from "../src/table.ts";
import { code, makeClass, makeUser } from "./factory.ts";

async function stored(class_id: string, created_at: string) {
  const { data } = await db().entities.message.get({ class_id, created_at }).go({ consistent: true });
  return data!;
}

describe("reaction toggle", () => {
  it("likes, then unlikes, and reports the counts and my reactions", async () => {
    const { class_id, teacher, students } = await makeClass();
    const { message_id } = await Chat.send({ class_id, content: "react to me" }, teacher);
    expect(await Chat.react({ message_id, reaction_type: "like" }, students[0]!)).toEqual({ like_count: 1, heart_count: 0, mine: ["like"] });
    expect(await Chat.react({ message_id, reaction_type: "heart" }, students[1]!)).toEqual({ like_count: 1, heart_count: 1, mine: ["heart"] });
    expect(await Chat.react({ message_id, reaction_type: "like" }, students[0]!)).toEqual({ like_count: 0, heart_count: 1, mine: [] });
    const page = await Chat.list({ class_id }, students[1]!);
    expect(page.messages[0]!.reactions).toEqual({ like_count: 0, heart_count: 1, mine: ["heart"] });
  });

  it("keeps each count equal to the users who reacted under 50 users toggling at once", async () => {
    const { class_id, teacher, students } = await makeClass({ students: 49 });
    const users = [teacher, ...students];
    const { message_id, created_at } = await Chat.send({ class_id, content: "storm" }, teacher);

    // User i toggles like (i % 4) + 1 times and heart (i % 3) + 1 times, all in flight together.
    const toggles = users.flatMap((user, i) => [
      ...Array.from({ length: (i % 4) + 1 }, () => ({ user, type: "like" as const })),
      ...Array.from({ length: (i % 3) + 1 }, () => ({ user, type: "heart" as const })),
    ]);
    await Promise.all(toggles.map(({ user, type }) => Chat.react({ message_id, reaction_type: type }, user)));

    const expectedLikers = users.filter((_, i) => ((i % 4) + 1) % 2 === 1).map((u) => u.userId);
    const expectedHearters = users.filter((_, i) => ((i % 3) + 1) % 2 === 1).map((u) => u.userId);
    const item = await stored(class_id, created_at);
    expect(new Set(item.liked_by ?? [])).toEqual(new Set(expectedLikers));
    expect(new Set(item.hearted_by ?? [])).toEqual(new Set(expectedHearters));
    expect(item.like_count).toBe(expectedLikers.length);
    expect(item.heart_count).toBe(expectedHearters.length);
  });

  it("counts a user once however many times the same toggle races with itself", async () => {
    const { class_id, teacher, students } = await makeClass({ students: 1 });
    const { message_id, created_at } = await Chat.send({ class_id, content: "double tap" }, teacher);
    await Promise.all(Array.from({ length: 7 }, () => Chat.react({ message_id, reaction_type: "like" }, students[0]!)));
    const item = await stored(class_id, created_at);
    expect(item.like_count).toBe(item.liked_by?.length ?? 0);
    expect(item.like_count).toBe(1); // seven toggles: odd, so liked
  });

  it("rejects an unknown reaction type and unknown or hidden messages, changing nothing", async () => {
    const { class_id, teacher } = await makeClass();
    const outsider = await makeUser();
    const { message_id, created_at } = await Chat.send({ class_id, content: "x" }, teacher);
    expect(await code(Chat.react({ message_id, reaction_type: "wow" as "like" }, teacher))).toBe("input.invalid");
    expect(await code(Chat.react({ message_id: newId(), reaction_type: "like" }, teacher))).toBe("chat.message_not_found");
    expect(await code(Chat.react({ message_id, reaction_type: "like" }, outsider))).toBe("chat.message_not_found");
    const item = await stored(class_id, created_at);
    expect([item.like_count, item.heart_count, item.liked_by, item.hearted_by]).toEqual([0, 0, undefined, undefined]);
  });
});
