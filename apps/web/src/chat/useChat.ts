/**
 * Keeps one class's chat live: loads the newest page, older pages on demand, polls for new
 * messages with the `newer` cursor (one poll at a time, so the cursor chain has no gaps) at
 * the adaptive pace of @classroom/client (3 s while the class is active or the person
 * acts, stepping back to 15 s while it is quiet, the person is idle or the tab is hidden; at
 * once when the tab is visible again), sends with a
 * client-chosen message id (retried with the same id, so a message lands at most once), and
 * toggles reactions optimistically. The merging rules live in timeline.ts.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { POLL_FAST_MS, type PollState, pollDueAt } from "@classroom/client";
import { CHAT_PAGE_SIZE, SEND_ATTEMPTS } from "../config.ts";
import { useTRPC } from "../trpc.ts";
import { appCodeOf, describeError, isClassGone, isTransient, retryDelayMs } from "../ui/errors.ts";
import { withUnreadNotifications } from "../notifications/inbox.ts";
import { type Author, type ReactionType, emptyTimeline, newMessageId, timelineItems, timelineReducer } from "./timeline.ts";

const MAX_REFRESH = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A logical clock: orders "request started" against "answer applied" across async calls. */
let clock = 0;
const tick = () => ++clock;

export type ChatStatus = "loading" | "ready" | "error";

export function useChat(classId: string, me: Author) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, dispatch] = useReducer(timelineReducer, emptyTimeline);
  const [status, setStatus] = useState<ChatStatus>("loading");
  const [loadError, setLoadError] = useState<string | null>(null);
  const [pollError, setPollError] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const newer = useRef<string | null>(null);
  const loadedCount = useRef(0);
  loadedCount.current = state.messages.length;
  const meRef = useRef(me);
  meRef.current = me;

  /** Tells the poller the person acted (typed, clicked, sent): back to the fast pace at once. */
  const acted = useRef(() => undefined as void);

  const sendMutation = useMutation(trpc.chat.send.mutationOptions());
  const reactMutation = useMutation(trpc.chat.react.mutationOptions());

  const fetchPage = useCallback(
    (cursor: string | undefined, limit = CHAT_PAGE_SIZE) =>
      queryClient.fetchQuery(
        trpc.chat.list.queryOptions(
          { class_id: classId, direction: "backward", limit, ...(cursor ? { cursor } : {}) },
          { staleTime: 0, gcTime: 0, retry: false },
        ),
      ),
    [classId, queryClient, trpc],
  );

  // First page.
  useEffect(() => {
    let cancelled = false;
    newer.current = null;
    setStatus("loading");
    const at = tick();
    fetchPage(undefined).then(
      (page) => {
        if (cancelled) return;
        newer.current = page.newer;
        dispatch({ type: "loaded", messages: page.messages, older: page.older, at });
        setStatus("ready");
      },
      (error: unknown) => {
        if (cancelled) return;
        setLoadError(describeError(error));
        setStatus("error");
      },
    );
    return () => {
      cancelled = true;
    };
  }, [fetchPage, attempt]);

  // Polling.
  useEffect(() => {
    if (status !== "ready") return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    let activity: number | null = null;
    const now = Date.now();
    // Opening the class counts as acting; the first poll goes out at once.
    const pace: PollState = { answeredAt: now - POLL_FAST_MS, hintMs: null, newMessages: false, inputAt: now, hidden: document.visibilityState !== "visible" };
    const arm = () => {
      clearTimeout(timer);
      if (!stopped && !running) timer = setTimeout(poll, Math.max(0, pollDueAt(pace) - Date.now()));
    };

    const refreshActivity = async () => {
      // Reactions, posts, comments, members, roles or coursework changed somewhere in the class: refresh what is on screen.
      void queryClient.invalidateQueries(trpc.member.pathFilter());
      void queryClient.invalidateQueries(trpc.class.byId.queryFilter({ class_id: classId }));
      // Coursework moves the same counter: work turned in, grades returned, assignments changed.
      void queryClient.invalidateQueries(trpc.assignment.pathFilter());
      void queryClient.invalidateQueries(trpc.submission.pathFilter());
      void queryClient.invalidateQueries(trpc.gradebook.get.pathFilter());
      await queryClient.invalidateQueries(trpc.post.pathFilter());
      if (queryClient.isMutating({ mutationKey: trpc.comment.pathKey() }) === 0) {
        await queryClient.invalidateQueries(trpc.comment.pathFilter());
      }
    };

    const refreshReactions = async () => {
      const at = tick();
      const page = await fetchPage(undefined, Math.min(MAX_REFRESH, Math.max(loadedCount.current, CHAT_PAGE_SIZE)));
      if (!stopped) dispatch({ type: "received", messages: page.messages, at });
    };

    const poll = async () => {
      if (running || stopped) return;
      running = true;
      clearTimeout(timer);
      let news = false;
      try {
        for (;;) {
          const cursor = newer.current;
          if (!cursor) break;
          const at = tick();
          const page = await queryClient.fetchQuery(
            trpc.chat.poll.queryOptions(
              { class_id: classId, cursor, limit: 100 },
              { staleTime: 0, gcTime: 0, retry: false },
            ),
          );
          if (stopped || newer.current !== cursor) break;
          newer.current = page.newer;
          pace.hintMs = page.poll_after_ms;
          if (page.messages.length > 0 || (activity !== null && page.activity !== activity)) news = true;
          dispatch({ type: "received", messages: page.messages, at });
          setPollError(null);
          queryClient.setQueryData(trpc.notification.summary.queryKey(), (old) => withUnreadNotifications(old, page.unread_notifications));
          if (activity !== null && page.activity !== activity) {
            void refreshReactions().catch(() => undefined);
            void refreshActivity();
          }
          activity = page.activity;
          if (!page.has_more) break;
        }
      } catch (error) {
        // Not a member any more: asking again cannot help (the class page says why, see useClassGone).
        if (isClassGone(error)) stopped = true;
        else if (!stopped) setPollError(describeError(error));
      } finally {
        running = false;
        pace.answeredAt = Date.now();
        pace.newMessages = news;
        arm();
      }
    };

    const onInput = () => {
      pace.inputAt = Date.now();
      arm();
    };
    const onVisibility = () => {
      pace.hidden = document.visibilityState !== "visible";
      if (pace.hidden) return arm(); // the next poll moves back to the hidden pace
      pace.inputAt = Date.now();
      void poll();
    };

    acted.current = onInput;
    document.addEventListener("visibilitychange", onVisibility);
    document.addEventListener("keydown", onInput, { capture: true, passive: true });
    document.addEventListener("pointerdown", onInput, { capture: true, passive: true });
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
      acted.current = () => undefined;
      document.removeEventListener("visibilitychange", onVisibility);
      document.removeEventListener("keydown", onInput, { capture: true });
      document.removeEventListener("pointerdown", onInput, { capture: true });
    };
  }, [status, classId, fetchPage, queryClient, trpc]);

  const loadOlder = useCallback(async () => {
    if (!state.older || loadingOlder) return;
    setLoadingOlder(true);
    const at = tick();
    try {
      const page = await fetchPage(state.older);
      dispatch({ type: "olderLoaded", messages: page.messages, older: page.older, at });
    } catch (error) {
      setPollError(describeError(error));
    } finally {
      setLoadingOlder(false);
    }
  }, [fetchPage, loadingOlder, state.older]);

  const deliver = useCallback(
    async (message_id: string, content: string) => {
      dispatch({ type: "sendStarted", message_id, content });
      acted.current();
      for (let attempt = 1; ; attempt++) {
        try {
          const sent = await sendMutation.mutateAsync({ class_id: classId, content, message_id });
          dispatch({ type: "sendSucceeded", message_id, created_at: sent.created_at, class_id: classId, author: meRef.current });
          return;
        } catch (error) {
          if (!isTransient(error) || attempt >= SEND_ATTEMPTS) {
            dispatch({ type: "sendFailed", message_id, error: describeError(error) });
            // Muted meanwhile: the member list says until when, and the composer says so.
            if (appCodeOf(error) === "chat.muted") void queryClient.invalidateQueries(trpc.member.pathFilter());
            return;
          }
          await sleep(retryDelayMs(error, attempt));
        }
      }
    },
    [classId, queryClient, sendMutation.mutateAsync, trpc],
  );

  const send = useCallback((content: string) => void deliver(newMessageId(), content.trim()), [deliver]);

  const retry = useCallback(
    (message_id: string) => {
      const outgoing = state.outbox.find((m) => m.message_id === message_id);
      if (outgoing) void deliver(outgoing.message_id, outgoing.content);
    },
    [deliver, state.outbox],
  );

  const discard = useCallback((message_id: string) => dispatch({ type: "discarded", message_id }), []);

  // Toggles on one message are sent one after another, so their answers arrive in order.
  const reactionQueue = useRef(new Map<string, Promise<void>>());
  const [reactError, setReactError] = useState<string | null>(null);
  const toggleReaction = useCallback(
    (message_id: string, reaction: ReactionType) => {
      dispatch({ type: "reactStarted", message_id, reaction });
      const previous = reactionQueue.current.get(message_id) ?? Promise.resolve();
      const next = previous.then(async () => {
        try {
          const result = await reactMutation.mutateAsync({ message_id, reaction_type: reaction });
          dispatch({ type: "reactSettled", message_id, reaction, result, at: tick() });
          setReactError(null);
        } catch (error) {
          dispatch({ type: "reactFailed", message_id, reaction });
          setReactError(describeError(error));
        }
      });
      reactionQueue.current.set(message_id, next);
      void next.finally(() => {
        if (reactionQueue.current.get(message_id) === next) reactionQueue.current.delete(message_id);
      });
    },
    [reactMutation.mutateAsync],
  );

  const editMutation = useMutation(trpc.chat.edit.mutationOptions());
  const removeMutation = useMutation(trpc.chat.remove.mutationOptions());

  /** Edits one of my messages; resolves once the server has it, rejects with the reason in words. */
  const edit = useCallback(
    async (message_id: string, content: string) => {
      try {
        dispatch({ type: "replaced", message: await editMutation.mutateAsync({ message_id, content: content.trim() }) });
      } catch (error) {
        throw new Error(describeError(error));
      }
    },
    [editMutation.mutateAsync],
  );

  /** Removes a message (mine, or anyone's for a teacher); it stays in its place as a tombstone. */
  const [removeError, setRemoveError] = useState<string | null>(null);
  const remove = useCallback(
    async (message_id: string) => {
      try {
        dispatch({ type: "replaced", message: await removeMutation.mutateAsync({ message_id }) });
        setRemoveError(null);
      } catch (error) {
        setRemoveError(describeError(error));
      }
    },
    [removeMutation.mutateAsync],
  );

  const items = useMemo(() => timelineItems(state), [state]);

  return {
    status,
    loadError,
    pollError,
    reactError: reactError ?? removeError,
    dismissReactError: () => {
      setReactError(null);
      setRemoveError(null);
    },
    items,
    hasOlder: state.older !== null,
    loadingOlder,
    loadOlder,
    send,
    retry,
    discard,
    toggleReaction,
    edit,
    remove,
    reload: () => {
      setLoadError(null);
      setAttempt((n) => n + 1);
    },
  };
}
