/**
 * Who belongs to a class and in which role. Every other module asks here before it reads
 * or writes a class's data. A caller who is not a member gets the same `*.not_found` as
 * for an id that does not exist, so ids of other classes do not leak.
 */
import * as z from "zod";
import type { Actor } from "../actor.ts";
import { type DomainError, conflict, forbidden, notFound, notFoundAs } from "../errors.ts";
import { Timestamp } from "../fields.ts";
import { attempts, contended, isConditionFailure, transactionOutcome } from "../dynamo-errors.ts";
import { fn } from "../fn.ts";
import { Id } from "../ids.ts";
import { MAX_MUTE_MINUTES } from "../limits.ts";
import { classNotFound, unwritable } from "../class/state.ts";
import { type Transaction, membershipStanding, readStanding, rekey } from "../standing/ledger.ts";
import { db } from "../table.ts";
import * as User from "../user/index.ts";
import { ROLES } from "./entity.ts";

export { ROLES };
export type Role = (typeof ROLES)[number];
export const Role = z.enum(ROLES);

export const Member = z
  .object({
    class_id: z.string(),
    user_id: z.string(),
    role: Role,
    user_name: z.string(),
    user_email: z.string().optional(),
    joined_at: Timestamp,
    muted_until: Timestamp.nullable().meta({ description: "Muted in the class chat until then; null when not muted" }),
  })
  .meta({ id: "Member" });
export type Member = z.output<typeof Member>;

export { classNotFound };

export const Invitation = z
  .object({
    class_id: z.string(),
    email: z.string(),
    role: Role,
    invited_at: Timestamp,
  })
  .meta({ id: "Invitation", description: "Someone added by email who has not signed in yet; they join when they first do." });
export type Invitation = z.output<typeof Invitation>;

/** A membership as stored, read strongly consistently; undefined when there is none. */
export async function membershipOf(classId: string, userId: string) {
  const { data } = await db().entities.membership.get({ class_id: classId, user_id: userId }).go({ consistent: true });
  return data ?? undefined;
}

export async function roleOf(classId: string, userId: string): Promise<Role | undefined> {
  return (await membershipOf(classId, userId))?.role;
}

/**
 * How long a poll (tRPC `chat.poll`, or a forward list from a cursor or timestamp) may rely
 * on a membership it checked before, per process. A removed member's polls stop within this
 * time; their writes and every other read stop at once.
 */
export const MEMBERSHIP_CACHE_MS = 15_000;
const MAX_CACHED = 50_000;
const recent = new Map<string, { role: Role; at: number }>();

/**
 * The actor's role in the class; `class.not_found` when the class does not exist or they
 * are not in it. With `cacheMs`, a membership confirmed that recently is trusted.
 */
export async function requireMember(classId: string, actor: Actor, options: { cacheMs?: number } = {}): Promise<Role> {
  const key = `${classId}/${actor.userId}`;
  const cached = options.cacheMs ? recent.get(key) : undefined;
  if (cached && Date.now() - cached.at < options.cacheMs!) return cached.role;
  const role = await roleOf(classId, actor.userId);
  if (!role) {
    recent.delete(key);
    throw classNotFound();
  }
  if (recent.size >= MAX_CACHED) recent.clear();
  recent.set(key, { role, at: Date.now() });
  return role;
}

/**
 * For things that live in a class (a message, a post, a comment): the actor's role in the
 * thing's class, or `missing()` when they are not a member, so the thing's id does not leak
 * which class it belongs to.
 */
export function requireMemberOr(classId: string, actor: Actor, missing: () => DomainError): Promise<Role> {
  return requireMember(classId, actor).catch(notFoundAs(missing));
}

/** A teacher of the class, and the class takes writes (not archived): for changing who is in it. */
async function requireTeacherOfWritableClass(classId: string, actor: Actor): Promise<void> {
  const [klass] = await Promise.all([db().entities.class.get({ class_id: classId }).go({ consistent: true }), requireTeacher(classId, actor)]);
  const refused = unwritable(klass.data ?? undefined);
  if (refused) throw refused;
}

export async function requireTeacher(classId: string, actor: Actor): Promise<void> {
  const role = await requireMember(classId, actor);
  if (role !== "teacher") throw forbidden("class.teacher_only", "Only a teacher of this class can do this.");
}

export const ListMembersInput = z.object({ class_id: Id });

export const MemberList = z.array(Member);

/** Members of a class, teachers first, then by name. Visible to members only. */
export const list = fn(ListMembersInput, MemberList, async ({ class_id }, actor) => {
  await requireMember(class_id, actor);
  const { data } = await db().entities.membership.query.byClass({ class_id }).go({ pages: "all" });
  return data
    .map(toMember)
    .sort((a, b) => (a.role === b.role ? a.user_name.localeCompare(b.user_name) : a.role === "teacher" ? -1 : 1));
});

export const InvitationList = z.array(Invitation);

/** A class's pending invitations, by email. Teachers only. */
export const invitations = fn(ListMembersInput, InvitationList, async ({ class_id }, actor) => {
  await requireTeacher(class_id, actor);
  const { data } = await db().entities.invitation.query.byClass({ class_id }).go({ pages: "all" });
  return data.map(toInvitation);
});

export const AddMemberInput = z.object({
  class_id: Id,
  email: z.email("must be an email address").max(254).transform((email) => email.toLowerCase()),
  role: Role,
});

export const Added = z
  .discriminatedUnion("status", [
    z.object({ status: z.literal("added"), member: Member }),
    z.object({ status: z.literal("invited"), invitation: Invitation }),
  ])
  .meta({ id: "AddMemberResult" });

const roleName = (role: Role) => (role === "teacher" ? "a teacher" : "a student");

/**
 * A teacher adds a person by email. Someone who has signed in before becomes a member at once;
 * anyone else gets a pending invitation that turns into a membership when they first sign in.
 * Adding someone who is already in the class (or already invited) is a 409 that says so;
 * changing a role is its own action (`setRole`).
 */
export const add = fn(AddMemberInput, Added, async ({ class_id, email, role }, actor) => {
  await requireTeacherOfWritableClass(class_id, actor);
  const klass = await db().entities.class.get({ class_id }).go({ consistent: true });
  if (!klass.data) throw classNotFound();
  const user = await User.byEmail(email);
  if (!user) {
    const invitation = { email, class_id, class_name: klass.data.name, role, invited_by: actor.userId, invited_at: new Date().toISOString() };
    await db()
      .entities.invitation.create(invitation)
      .go()
      .catch((error: unknown) => {
        if (isConditionFailure(error)) throw conflict("membership.already_invited", `${email} is already invited to this class.`);
        throw error;
      });
    return { status: "invited" as const, invitation: toInvitation(invitation) };
  }
  const existing = await membershipOf(class_id, user.user_id);
  if (existing) throw conflict("membership.exists", `${existing.user_name} is already ${roleName(existing.role)} in this class.`);
  const member = {
    class_id,
    user_id: user.user_id,
    role,
    user_name: user.name,
    user_email: user.email,
    class_name: klass.data.name,
    joined_at: new Date().toISOString(),
  };
  for await (const _attempt of attempts()) {
    const standing = await standingPart(class_id, user.user_id, { active: role === "student", name: user.name });
    const result = await db()
      .transaction.write((tx) => [tx.membership.create(member).commit(), standing(tx)])
      .go();
    if (!result.canceled) {
      await rekey({ class_id, student_id: user.user_id });
      return { status: "added" as const, member: toMember(member) };
    }
    if (transactionOutcome(result, ["membership", "standing"]).failed.has("membership")) throw changedMeanwhile();
  }
  throw contended("membership");
});

export const CancelInvitationInput = z.object({ class_id: Id, email: z.email("must be an email address").max(254).transform((e) => e.toLowerCase()) });

/** A teacher withdraws a pending invitation. */
export const cancelInvitation = fn(CancelInvitationInput, z.object({ cancelled: z.literal(true) }), async ({ class_id, email }, actor) => {
  await requireTeacherOfWritableClass(class_id, actor);
  const { data } = await db().entities.invitation.get({ email, class_id }).go({ consistent: true });
  if (!data) throw notFound("membership.invitation_not_found", "There is no pending invitation for this email.");
  await db().entities.invitation.delete({ email, class_id }).go();
  return { cancelled: true as const };
});

/**
 * Turns the pending invitations of a person who signs in into memberships. Called when a
 * verified token is first seen in a process (cheap: one Query on the email's partition).
 * Idempotent: a membership that already exists is left as it is, and the invitation goes.
 */
export async function acceptInvitations(actor: Actor): Promise<number> {
  if (!actor.email) return 0;
  const email = actor.email.toLowerCase();
  const { data } = await db().entities.invitation.query.byEmail({ email }).go({ pages: "all" });
  let joined = 0;
  for (const invitation of data) {
    for await (const _attempt of attempts()) {
      const standing = await standingPart(invitation.class_id, actor.userId, { active: invitation.role === "student", name: actor.name });
      const result = await db()
        .transaction.write((tx) => [
          tx.membership
            .create({
              class_id: invitation.class_id,
              user_id: actor.userId,
              role: invitation.role,
              user_name: actor.name,
              user_email: email,
              class_name: invitation.class_name,
              joined_at: new Date().toISOString(),
            })
            .commit(),
          tx.invitation.delete({ email, class_id: invitation.class_id }).commit(),
          standing(tx),
        ])
        .go();
      if (!result.canceled) {
        await rekey({ class_id: invitation.class_id, student_id: actor.userId });
        joined++;
        break;
      }
      const { failed } = transactionOutcome(result, ["membership", "invitation", "standing"]);
      if (failed.has("membership")) await db().entities.invitation.delete({ email, class_id: invitation.class_id }).go();
      // Only a standing that changed meanwhile is worth another try now; anything else waits for the next sign-in.
      if (!failed.has("standing") || failed.has("membership")) break;
    }
  }
  return joined;
}

export const SetRoleInput = z.object({ class_id: Id, user_id: Id, role: Role });

/** A teacher changes a member's role. Teachers cannot change their own (a class keeps its teacher). */
export const setRole = fn(SetRoleInput, Member, async ({ class_id, user_id, role }, actor) => {
  await requireTeacherOfWritableClass(class_id, actor);
  if (user_id === actor.userId) throw conflict("membership.own_role", "You cannot change your own role.");
  for await (const _attempt of attempts()) {
    const existing = await membershipOf(class_id, user_id);
    if (!existing) throw notFound("membership.not_found", "This person is not a member of the class.");
    // A student made a teacher leaves the ranking (and comes back if made a student again).
    const standing = await standingPart(class_id, user_id, { active: role === "student", name: existing.user_name });
    const result = await db()
      .transaction.write((tx) => [
        tx.membership
          .patch({ class_id, user_id })
          .set({ role })
          .where((attr, op) => op.eq(attr.role, existing.role))
          .commit(),
        standing(tx),
      ])
      .go();
    if (!result.canceled) {
      forget(class_id, user_id);
      await rekey({ class_id, student_id: user_id });
      return toMember({ ...existing, role });
    }
    // Removed or changed meanwhile, or the standing moved: look again.
  }
  throw contended("membership");
});

export const MuteInput = z.object({
  class_id: Id,
  user_id: Id,
  /** How long, from now; 0 lifts the mute. */
  minutes: z.coerce.number().int().min(0).max(MAX_MUTE_MINUTES),
});

/** A teacher mutes a student in the class chat for a while (or lifts it with 0 minutes). */
export const mute = fn(MuteInput, Member, async ({ class_id, user_id, minutes }, actor) => {
  await requireTeacherOfWritableClass(class_id, actor);
  const target = await membershipOf(class_id, user_id);
  if (!target) throw notFound("membership.not_found", "This person is not a member of the class.");
  if (target.role === "teacher") throw conflict("membership.mute_teacher", "Teachers cannot be muted.");
  const patch = db().entities.membership.patch({ class_id, user_id });
  const { data } = await (minutes === 0
    ? patch.remove(["muted_until"])
    : patch.set({ muted_until: new Date(Date.now() + minutes * 60_000).toISOString() })
  )
    .go({ response: "all_new" })
    .catch((error: unknown) => {
      if (isConditionFailure(error)) throw notFound("membership.not_found", "This person is not a member of the class.");
      throw error;
    });
  await touchClass(class_id);
  return toMember(data);
});

/** A concurrent add or remove of the same person won the race. */
const changedMeanwhile = () => conflict("membership.changed", "This membership was just changed by someone else. Reload and try again.");

export const RemoveMemberInput = z.object({ class_id: Id, user_id: Id });

export const Removed = z.object({ removed: z.boolean() });

/** A teacher removes someone from the class. Teachers cannot remove themselves (a class keeps its teacher). */
export const remove = fn(RemoveMemberInput, Removed, async ({ class_id, user_id }, actor) => {
  await requireTeacherOfWritableClass(class_id, actor);
  if (user_id === actor.userId) throw conflict("membership.remove_self", "You cannot remove yourself from your own class.");
  for await (const _attempt of attempts()) {
    const existing = await membershipOf(class_id, user_id);
    if (!existing) throw notFound("membership.not_found", "This person is not a member of the class.");
    // Their standing leaves the ranking and top performers with them (its sums are kept).
    const standing = await standingPart(class_id, user_id, { active: false, name: existing.user_name });
    const result = await db()
      .transaction.write((tx) => [
        tx.membership
          .delete({ class_id, user_id })
          .where((attr, op) => op.eq(attr.role, existing.role))
          .commit(),
        standing(tx),
      ])
      .go();
    if (!result.canceled) {
      forget(class_id, user_id);
      await touchClass(class_id);
      return { removed: true };
    }
  }
  throw contended("membership");
});

/**
 * The standing's item for a transaction that makes `user_id` a student of the class or not
 * (standing/ledger.ts), read just before it; the transaction fails if the standing changes.
 */
async function standingPart(class_id: string, user_id: string, student: { active: boolean; name: string }) {
  const standing = await readStanding({ class_id, student_id: user_id });
  const now = new Date().toISOString();
  return (tx: Transaction) => membershipStanding(tx, { class_id, student_id: user_id }, standing, student, now);
}

/** Drops a cached membership, so this process checks it afresh. */
function forget(classId: string, userId: string): void {
  recent.delete(`${classId}/${userId}`);
}

/** Moves the class's activity counter, so open pages refresh the member list at their next poll. */
async function touchClass(class_id: string): Promise<void> {
  await db()
    .entities.class.patch({ class_id })
    .add({ activity_seq: 1 })
    .go()
    .catch(() => undefined);
}

export function toMember(item: {
  class_id: string;
  user_id: string;
  role: Role;
  user_name: string;
  user_email?: string | undefined;
  joined_at: string;
  muted_until?: string | undefined;
}): Member {
  const muted = item.muted_until && Date.parse(item.muted_until) > Date.now() ? item.muted_until : null;
  return {
    class_id: item.class_id,
    user_id: item.user_id,
    role: item.role,
    user_name: item.user_name,
    ...(item.user_email ? { user_email: item.user_email } : {}),
    joined_at: item.joined_at,
    muted_until: muted,
  };
}

function toInvitation(item: { class_id: string; email: string; role: Role; invited_at: string }): Invitation {
  return { class_id: item.class_id, email: item.email, role: item.role, invited_at: item.invited_at };
}
