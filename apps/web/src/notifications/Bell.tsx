/**
 * The bell in the app header: the unread count as a badge, and a list of the newest
 * notifications. Opening one marks it read and goes to what it is about; "Mark all read"
 * clears the badge.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { navigate, notificationSettingsHref } from "../route.ts";
import { useTRPC } from "../trpc.ts";
import { describeError } from "../ui/errors.ts";
import { Empty, ErrorState, Loading, Time } from "../ui/states.tsx";
import { type Notification, badgeCount, notificationBody, targetHref, withUnreadNotifications } from "./inbox.ts";
import { useInbox } from "./useInbox.ts";

const PAGE_SIZE = 20;

export function Bell() {
  const [open, setOpen] = useState(false);
  const inbox = useInbox();
  const unread = inbox.data?.unread_notifications ?? 0;
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const panelId = useId();

  // Close on Escape (back to the bell) and on a click outside.
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  return (
    <div className="bell">
      <button
        ref={button}
        type="button"
        className="button ghost bell-button"
        aria-label={unread > 0 ? `Notifications, ${unread} unread` : "Notifications"}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((v) => !v)}
      >
        <BellIcon />
        {unread > 0 && (
          <span className="bell-badge" aria-hidden="true">
            {badgeCount(unread)}
          </span>
        )}
      </button>
      {open && (
        <div ref={panel} id={panelId} className="bell-panel card" role="region" aria-label="Notifications">
          <NotificationList unread={unread} onOpened={() => setOpen(false)} />
        </div>
      )}
    </div>
  );
}

function NotificationList({ unread, onOpened }: { unread: number; onOpened: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const classes = useQuery(trpc.class.mine.queryOptions());
  const names = new Map((classes.data ?? []).map((c) => [c.class_id, c.name]));
  const list = useInfiniteQuery(
    trpc.notification.list.infiniteQueryOptions({ limit: PAGE_SIZE }, { getNextPageParam: (last) => last.cursor ?? undefined, staleTime: 0 }),
  );
  // A new notification arrived while the list is open: show it.
  const seenUnread = useRef(unread);
  const { refetch, dataUpdatedAt } = list;
  useEffect(() => {
    if (unread > seenUnread.current) void refetch();
    seenUnread.current = unread;
  }, [unread, refetch]);
  // The list may be newer than the shell's last poll: bring the badge up to date with it, so the
  // bell never lists an unread notification while its badge says there is none.
  useEffect(() => {
    if (dataUpdatedAt > 0) void queryClient.invalidateQueries(trpc.notification.summary.queryFilter());
  }, [dataUpdatedAt, queryClient, trpc]);

  const markRead = useMutation(
    trpc.notification.markRead.mutationOptions({
      onSuccess: async (result) => {
        queryClient.setQueryData(trpc.notification.summary.queryKey(), (old) => withUnreadNotifications(old, result.unread));
        await queryClient.invalidateQueries(trpc.notification.list.pathFilter());
      },
    }),
  );
  const items = list.data?.pages.flatMap((page) => page.notifications) ?? [];

  function open(notification: Notification) {
    if (!notification.read) markRead.mutate({ ids: [notification.notification_id] });
    onOpened();
    navigate(targetHref(notification));
  }

  return (
    <>
      <div className="bell-head">
        <h2>Notifications</h2>
        <a className="button ghost small bell-settings" href={notificationSettingsHref} onClick={onOpened}>Settings</a>
        <button type="button" className="button ghost small" disabled={unread === 0 || markRead.isPending} onClick={() => markRead.mutate({ all: true })}>
          Mark all read
        </button>
      </div>
      {markRead.isError && (
        <p className="error" role="alert">
          {describeError(markRead.error)}
        </p>
      )}
      <div className="bell-scroll">
        {list.isPending ? (
          <Loading label="Loading notifications…" />
        ) : list.isError ? (
          <ErrorState message={describeError(list.error)} onRetry={() => void list.refetch()} />
        ) : items.length === 0 ? (
          <Empty title="Nothing new">Grades, new classwork, announcements and replies show up here.</Empty>
        ) : (
          <ul className="notification-list" aria-label="Notifications">
            {items.map((n) => (
              <li key={n.notification_id}>
                <button type="button" className={`notification${n.read ? "" : " notification-unread"}`} onClick={() => open(n)}>
                  {!n.read && <span className="visually-hidden">Unread: </span>}
                  <span className="notification-title">{n.title}</span>
                  {n.body && <span className="notification-body">{notificationBody(n)}</span>}
                  <span className="notification-meta muted small">
                    {names.get(n.class_id) ?? "A class"} · <Time iso={n.at} />
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {list.hasNextPage && (
          <button type="button" className="button ghost wide" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            {list.isFetchingNextPage ? "Loading…" : "Show older"}
          </button>
        )}
      </div>
    </>
  );
}

function BellIcon() {
  return (
    <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M6 8a6 6 0 0112 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 003.4 0" />
    </svg>
  );
}
