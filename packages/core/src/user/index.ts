import type { Actor } from "../actor.ts";
import { isConditionFailure } from "../dynamo-errors.ts";
import { db } from "../table.ts";

export interface User {
  user_id: string;
  email: string;
  name: string;
}

/**
 * Records the actor as a known user so teachers can add them to a class by email.
 * Idempotent: a second call for the same user changes nothing.
 */
export async function remember(actor: Actor): Promise<void> {
  if (!actor.email) return;
  await db()
    .entities.user.put({
      user_id: actor.userId,
      email: actor.email.toLowerCase(),
      name: actor.name,
      created_at: new Date().toISOString(),
    })
    .where((attr, op) => op.notExists(attr.user_id))
    .go()
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
}

export async function byEmail(email: string): Promise<User | undefined> {
  const { data } = await db().entities.user.query.byEmail({ email: email.toLowerCase() }).go({ limit: 1 });
  const user = data[0];
  return user && { user_id: user.user_id, email: user.email, name: user.name };
}

export async function byId(userId: string): Promise<User | undefined> {
  const { data } = await db().entities.user.get({ user_id: userId }).go();
  return data ? { user_id: data.user_id, email: data.email, name: data.name } : undefined;
}

