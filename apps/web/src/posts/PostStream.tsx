import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTRPC } from "../trpc.ts";
import { describeError } from "../ui/errors.ts";
import { Empty, ErrorState, Loading } from "../ui/states.tsx";
import { PostCard } from "./PostCard.tsx";
import { MAX_POST_LENGTH } from "@classroom/core/limits";

export const POSTS_PAGE_SIZE = 10;

export function PostStream({ classId, isTeacher, myUserId }: { classId: string; isTeacher: boolean; myUserId: string }) {
  const trpc = useTRPC();
  const posts = useInfiniteQuery(
    trpc.post.list.infiniteQueryOptions(
      { class_id: classId, limit: POSTS_PAGE_SIZE },
      { getNextPageParam: (last) => last.cursor ?? undefined },
    ),
  );

  return (
    <section className="pane stream" aria-labelledby="stream-title">
      <div className="pane-head">
        <h2 id="stream-title">Stream</h2>
      </div>
      <div className="stream-scroll">
        {isTeacher && <NewPost classId={classId} />}
        {posts.isPending ? (
          <Loading label="Loading posts…" />
        ) : posts.isError ? (
          <ErrorState message={describeError(posts.error)} onRetry={() => void posts.refetch()} />
        ) : posts.data.pages[0]?.posts.length === 0 ? (
          <Empty title="Nothing posted yet">{isTeacher ? "Share an announcement or a question for the class." : "Your teacher's announcements will appear here."}</Empty>
        ) : (
          <>
            <ul className="posts" aria-label="Posts">
              {posts.data.pages.flatMap((page) =>
                page.posts.map((post) => (
                  <li key={post.post_id}>
                    <PostCard post={post} isTeacher={isTeacher} myUserId={myUserId} />
                  </li>
                )),
              )}
            </ul>
            {posts.hasNextPage && (
              <button type="button" className="button ghost wide" onClick={() => void posts.fetchNextPage()} disabled={posts.isFetchingNextPage}>
                {posts.isFetchingNextPage ? "Loading…" : "Show older posts"}
              </button>
            )}
          </>
        )}
      </div>
    </section>
  );
}

function NewPost({ classId }: { classId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [content, setContent] = useState("");
  const create = useMutation(
    trpc.post.create.mutationOptions({
      onSuccess: async () => {
        setContent("");
        await queryClient.invalidateQueries(trpc.post.list.pathFilter());
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    if (content.trim()) create.mutate({ class_id: classId, content: content.trim() });
  }

  return (
    <form className="card new-post" onSubmit={submit}>
      <label className="field">
        <span>Post to the class</span>
        <textarea
          rows={3}
          value={content}
          maxLength={MAX_POST_LENGTH}
          onChange={(e) => setContent(e.target.value)}
          placeholder="An announcement, a reading, a question for discussion…"
        />
      </label>
      {create.isError && (
        <p className="error" role="alert">
          {describeError(create.error)}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={create.isPending || !content.trim()}>
          {create.isPending ? "Posting…" : "Post"}
        </button>
      </div>
    </form>
  );
}
