import * as Notification from "@classroom/core/notification";
import type { TRPCRouterRecord } from "@trpc/server";
import { op, type Operations } from "../../rest/operation.ts";
import { authedProcedure, writeProcedure } from "../../trpc.ts";
import type { notificationRoutes } from "./routes.ts";

/** The caller's own notifications: nobody reads or marks another person's. */
export const procedures = {
  list: authedProcedure.input(Notification.list.schema).query(({ ctx, input }) => Notification.list(input, ctx.actor)),
  /** The app shell's poll: unread notifications and each class's unread chat count. */
  summary: authedProcedure.query(({ ctx }) => Notification.summary({}, ctx.actor)),
  markRead: writeProcedure.input(Notification.markRead.schema).mutation(({ ctx, input }) => Notification.markRead(input, ctx.actor)),
  preferences: authedProcedure.query(({ ctx }) => Notification.preferences({}, ctx.actor)),
  setPreferences: writeProcedure.input(Notification.setPreferences.schema).mutation(({ ctx, input }) => Notification.setPreferences(input, ctx.actor)),
} satisfies TRPCRouterRecord;

export const operations = {
  listNotifications: op({
    summary: "Your notifications, newest first",
    description: "Grades returned, new assignments, announcements, replies, @mentions and classes you were added to. `unread=true` lists only unread ones.",
    query: Notification.list.schema,
    response: Notification.list.output,
    run: (caller, { query }) => caller.notification.list(query),
  }),
  markNotificationsRead: op({
    summary: "Mark notifications read: `{ ids }` or `{ all: true }`",
    body: Notification.markRead.schema,
    response: Notification.markRead.output,
    run: (caller, { body }) => caller.notification.markRead(body),
  }),
  getInboxSummary: op({
    summary: "Unread counts for the app shell: notifications, and each class's chat",
    response: Notification.summary.output,
    run: (caller) => caller.notification.summary(),
  }),
  getNotificationPreferences: op({
    summary: "Your notification preferences",
    response: Notification.preferences.output,
    run: (caller) => caller.notification.preferences(),
  }),
  setNotificationPreferences: op({
    summary: "Turn kinds of notification off, or mute classes",
    body: Notification.setPreferences.schema,
    response: Notification.setPreferences.output,
    run: (caller, { body }) => caller.notification.setPreferences(body),
  }),
} satisfies Operations<typeof notificationRoutes>;
