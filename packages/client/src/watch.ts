/**
 * `watchChat`: follows one class's chat for a service, delivering every new message exactly
 * once and in order, at the adaptive pace the web app uses (core/src/polling.ts): every 3 s
 * while the class is active, stepping back to 15 s while it is quiet, and back to 3 s at once
 * when the service acts (`nudge()`) or a poll brings news. It never polls faster than the
 * server's `poll_after_ms` unless nudged.
 */
import { POLL_FAST_MS, type PollState, pollDueAt } from "@classroom/core/polling";
import type { AppRouter, RouterOutputs } from "@classroom/api";
import { type TRPCClient, TRPCClientError } from "@trpc/client";

type Poll = RouterOutputs["chat"]["poll"];
type Message = Poll["messages"][number];

export interface WatchChatOptions {
  class_id: string;
  /**
   * The `newer` cursor to start from (of a `chat.list` page or an earlier watch). Without it
   * the watch starts at the class's newest message: only messages sent from now on come.
   */
  cursor?: string;
  /**
   * Receives each batch of new messages, oldest first. The watch moves past them only once
   * this returns (or its promise resolves); if it throws, the same messages come again at
   * the next poll, so none is skipped.
   */
  onMessages: (messages: Message[], poll: Poll) => void | Promise<void>;
  /** Hears failed polls; the watch goes on at its pace. It stops by itself once the class is gone (`class.not_found`). */
  onError?: (error: unknown) => void;
}

export interface ChatWatch {
  /** The service acted in the class (sent a message, a person typed): poll at the fast pace from now on. */
  nudge(): void;
  /** Stops polling; resolves once a poll on its way has finished. */
  stop(): Promise<void>;
  /** The cursor after the last message delivered (pass it as `cursor` to resume later). */
  readonly cursor: string | undefined;
}

export function watchChat(client: TRPCClient<AppRouter>, options: WatchChatOptions): ChatWatch {
  const { class_id } = options;
  let cursor = options.cursor;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  const started = Date.now();
  const state: PollState = { answeredAt: started - POLL_FAST_MS, hintMs: null, newMessages: false, inputAt: started, hidden: false };

  const arm = () => {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(() => {
      running = pollOnce().finally(() => {
        running = undefined;
        arm();
      });
    }, Math.max(0, pollDueAt(state) - Date.now()));
  };

  const pollOnce = async () => {
    let news = false;
    try {
      if (cursor === undefined) cursor = (await client.chat.list.query({ class_id, direction: "backward", limit: 1 })).newer;
      for (;;) {
        const from: string = cursor;
        const poll = await client.chat.poll.query({ class_id, cursor: from, limit: 100 });
        if (stopped) return;
        if (poll.messages.length > 0) {
          news = true;
          await options.onMessages(poll.messages, poll);
        }
        cursor = poll.newer;
        state.hintMs = poll.poll_after_ms;
        if (!poll.has_more || stopped) break;
      }
    } catch (error) {
      if (error instanceof TRPCClientError && (error.data as { appCode?: string } | undefined)?.appCode === "class.not_found") stopped = true;
      options.onError?.(error);
    } finally {
      state.answeredAt = Date.now();
      state.newMessages = news;
    }
  };

  arm();
  return {
    nudge() {
      state.inputAt = Date.now();
      if (!running) arm();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    get cursor() {
      return cursor;
    },
  };
}
